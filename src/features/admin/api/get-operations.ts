import { queryOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import { RANGES, type DashboardRange } from '../utils/ranges.ts';
import { monitoringKeys } from './keys.ts';
import type { OperationRow } from './rows.ts';

/** Calls per operation over the range, slowest (p95) first. */
export async function getOperations(range: DashboardRange, signal: AbortSignal): Promise<OperationRow[]> {
  const { data, error } = await supabase.rpc('admin_operations', { range_seconds: RANGES[range].seconds }).abortSignal(signal);
  if (error) throw error;
  return data as OperationRow[];
}

export const operationsQueryOptions = (range: DashboardRange) =>
  queryOptions({ queryKey: monitoringKeys.operations(range), queryFn: ({ signal }) => getOperations(range, signal) });

export const useOperations = (range: DashboardRange) => useLiveQuery(operationsQueryOptions(range), range);
