import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { inventoryKeys } from './keys.ts';

/** The newest movement of one level: who changed it last, for a version conflict. */
export async function getLastChange(productId: string, locationId: string, signal: AbortSignal) {
  const { data, error } = await supabase
    .from('stock_movements')
    .select('kind, on_hand_delta, reason, actor_id, level_version, created_at')
    .eq('product_id', productId)
    .eq('location_id', locationId)
    .order('id', { ascending: false })
    .limit(1)
    .abortSignal(signal)
    .maybeSingle();
  if (error) throw error;
  return data;
}

export function useLastChange(vendorId: string, productId: string, locationId: string, enabled: boolean) {
  return useQuery(
    queryOptions({
      queryKey: inventoryKeys.lastChange(vendorId, productId, locationId),
      queryFn: ({ signal }) => getLastChange(productId, locationId, signal),
      enabled,
      staleTime: 0,
    }),
  );
}
