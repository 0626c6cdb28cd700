import { queryOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { monitoringKeys } from './keys.ts';
import type { ErrorRow } from './rows.ts';

export const RECENT_ERRORS_SHOWN = 50;

/** The latest failed calls, newest first. */
export async function getRecentErrors(signal: AbortSignal): Promise<ErrorRow[]> {
  const { data, error } = await supabase.rpc('admin_recent_errors', { max_rows: RECENT_ERRORS_SHOWN }).abortSignal(signal);
  if (error) throw error;
  return data as ErrorRow[];
}

export const recentErrorsQueryOptions = () => queryOptions({ queryKey: monitoringKeys.errors(), queryFn: ({ signal }) => getRecentErrors(signal) });

export const useRecentErrors = (range: DashboardRange) => useLiveQuery(recentErrorsQueryOptions(), range);
