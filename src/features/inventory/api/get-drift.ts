import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { inventoryKeys } from './keys.ts';

/** Levels of the vendor whose counters the ledger does not explain (empty when it reconciles). */
export async function getDrift(vendorId: string, signal: AbortSignal) {
  const { data, error } = await supabase.rpc('stock_drift_report').eq('vendor_id', vendorId).limit(100).abortSignal(signal);
  if (error) throw error;
  return data;
}

export type DriftRow = Awaited<ReturnType<typeof getDrift>>[number];

export const driftQueryOptions = (vendorId: string) =>
  queryOptions({
    queryKey: inventoryKeys.drift(vendorId),
    queryFn: ({ signal }) => getDrift(vendorId, signal),
    // A full check of the vendor's ledger: often enough to notice, rarely enough to stay cheap.
    refetchInterval: 60_000,
  });

export function useDrift(vendorId: string) {
  return useQuery(driftQueryOptions(vendorId));
}
