import { queryOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import { RANGES, type DashboardRange } from '../utils/ranges.ts';
import { monitoringKeys } from './keys.ts';
import type { VendorRow } from './rows.ts';

/** Per vendor over the range: calls attributed to it, errors, p95, and its ledger. */
export async function getVendors(range: DashboardRange, signal: AbortSignal): Promise<VendorRow[]> {
  const { data, error } = await supabase.rpc('admin_vendors', { range_seconds: RANGES[range].seconds }).abortSignal(signal);
  if (error) throw error;
  return data as VendorRow[];
}

export const vendorsQueryOptions = (range: DashboardRange) =>
  queryOptions({ queryKey: monitoringKeys.vendors(range), queryFn: ({ signal }) => getVendors(range, signal) });

export const useVendors = (range: DashboardRange) => useLiveQuery(vendorsQueryOptions(range), range);
