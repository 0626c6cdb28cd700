import { queryOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { monitoringKeys } from './keys.ts';
import type { AlertRow } from './rows.ts';

/** Every alert rule with its condition, value and whether it fires (last 5 minutes). */
export async function getAlerts(signal: AbortSignal): Promise<AlertRow[]> {
  const { data, error } = await supabase.rpc('admin_alerts').abortSignal(signal);
  if (error) throw error;
  return data as AlertRow[];
}

export const alertsQueryOptions = () => queryOptions({ queryKey: monitoringKeys.alerts(), queryFn: ({ signal }) => getAlerts(signal) });

export const useAlerts = (range: DashboardRange) => useLiveQuery(alertsQueryOptions(), range);
