import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { MONITORING_META } from '../hooks/use-live-query.ts';
import { monitoringKeys } from './keys.ts';
import type { ModelRow } from './rows.ts';

/** The components of the score, their weights and anchors: the formula the page explains. */
export async function getHealthModel(signal: AbortSignal): Promise<ModelRow[]> {
  const { data, error } = await supabase.rpc('admin_health_model').abortSignal(signal);
  if (error) throw error;
  return data;
}

export const healthModelQueryOptions = () =>
  queryOptions({ queryKey: monitoringKeys.model(), queryFn: ({ signal }) => getHealthModel(signal), staleTime: Infinity, meta: MONITORING_META });

export const useHealthModel = () => useQuery(healthModelQueryOptions());
