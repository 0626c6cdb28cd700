import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { orderKeys } from './keys.ts';

export const ORDERS_PAGE = 25;

const COLUMNS = 'id, vendor_id, vendor_name, status, total, item_count, created_at, request_id';

/** One page of the user's orders, newest first. */
export async function getOrders(customerId: string, offset: number, signal: AbortSignal) {
  const { data, error } = await supabase
    .from('orders')
    .select(COLUMNS)
    .eq('customer_id', customerId)
    .order('created_at', { ascending: false })
    .order('id')
    .range(offset, offset + ORDERS_PAGE - 1)
    .abortSignal(signal);
  if (error) throw error;
  return data;
}

export type OrderSummary = Awaited<ReturnType<typeof getOrders>>[number];

export const ordersQueryOptions = (customerId: string) =>
  infiniteQueryOptions({
    queryKey: orderKeys.list(customerId),
    queryFn: ({ pageParam, signal }) => getOrders(customerId, pageParam, signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => (last.length === ORDERS_PAGE ? pages.length * ORDERS_PAGE : undefined),
    // A checkout elsewhere (another tab) shows up when the list is opened again.
    staleTime: 0,
  });

export function useOrders(customerId: string) {
  return useInfiniteQuery(ordersQueryOptions(customerId));
}
