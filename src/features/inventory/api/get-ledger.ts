import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { inventoryKeys } from './keys.ts';

export const LEDGER_PAGE_SIZE = 25;

const COLUMNS = 'id, location_id, kind, on_hand_delta, reserved_delta, reason, reference, actor_id, request_id, level_version, created_at';

export async function getLedgerPage(productId: string, beforeId: number | undefined, signal: AbortSignal) {
  let query = supabase.from('stock_movements').select(COLUMNS).eq('product_id', productId);
  if (beforeId !== undefined) query = query.lt('id', beforeId);
  const { data, error } = await query.order('id', { ascending: false }).limit(LEDGER_PAGE_SIZE).abortSignal(signal);
  if (error) throw error;
  return data;
}

export type Movement = Awaited<ReturnType<typeof getLedgerPage>>[number];

/** The product's ledger, newest first, paged by id (keyset), so new movements never shift older pages. */
export const ledgerQueryOptions = (vendorId: string, productId: string) =>
  infiniteQueryOptions({
    queryKey: inventoryKeys.ledger(vendorId, productId),
    queryFn: ({ pageParam, signal }) => getLedgerPage(productId, pageParam, signal),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.length < LEDGER_PAGE_SIZE ? undefined : last[last.length - 1]!.id),
  });

export function useLedger(vendorId: string, productId: string) {
  return useInfiniteQuery(ledgerQueryOptions(vendorId, productId));
}
