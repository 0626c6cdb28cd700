import { supabase } from '@/lib/supabase.ts';
import { useCartMutation } from './use-cart-mutation.ts';

export interface ReserveStockInput {
  productId: string;
  quantity: number;
  idempotencyKey: string;
}

/** Holds `quantity` for the shopper (the vendor's hold time applies): "Add to cart". */
export async function reserveStock({ productId, quantity, idempotencyKey }: ReserveStockInput) {
  const { data, error } = await supabase.rpc('reserve_stock', { product_id: productId, quantity, idempotency_key: idempotencyKey });
  if (error) throw error;
  return data;
}

export const useReserveStock = () => useCartMutation(reserveStock);
