import { supabase } from '@/lib/supabase.ts';
import { RANGES, type DashboardRange } from '../utils/ranges.ts';

export type SeriesFunction = 'admin_health' | 'admin_api_series' | 'admin_client_series' | 'admin_database_series' | 'admin_domain_series';

/** One row per step of the range, oldest first, the last one ending with the current minute. */
export async function getSeries<T>(fn: SeriesFunction, range: DashboardRange | { seconds: number; stepSeconds: number }, signal: AbortSignal): Promise<T[]> {
  const { seconds, stepSeconds } = typeof range === 'string' ? RANGES[range] : range;
  const { data, error } = await supabase.rpc(fn, { range_seconds: seconds, step_seconds: stepSeconds }).abortSignal(signal);
  if (error) throw error;
  return data as unknown as T[];
}
