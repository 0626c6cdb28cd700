import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { isUuid } from '@/lib/uuid.ts';
import { orderKeys } from './keys.ts';

/** An order with its lines (names and SKUs as they were at checkout), or null when the user may not see one by that id. */
export async function getOrder(orderId: string, signal: AbortSignal) {
  if (!isUuid(orderId)) return null;
  const { data, error } = await supabase
    .from('orders')
    .select('id, vendor_id, vendor_name, status, total, item_count, created_at, request_id, order_lines(id, product_id, product_name, sku, quantity, unit_price, line_total)')
    .eq('id', orderId)
    .order('id', { referencedTable: 'order_lines' })
    .abortSignal(signal)
    .maybeSingle();
  if (error) throw error;
  return data;
}

export type Order = NonNullable<Awaited<ReturnType<typeof getOrder>>>;

// An order never changes once placed.
export const orderQueryOptions = (orderId: string) =>
  queryOptions({ queryKey: orderKeys.detail(orderId), queryFn: ({ signal }) => getOrder(orderId, signal), staleTime: Infinity });

export function useOrder(orderId: string) {
  return useQuery(orderQueryOptions(orderId));
}
