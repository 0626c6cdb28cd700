import { supabase } from '@/lib/supabase.ts';
import type { ApiErrorLike } from '../utils/cart-errors.ts';
import { useCartMutation } from './use-cart-mutation.ts';

export interface CheckoutInput {
  reservationIds: string[];
  idempotencyKey: string;
}

/** A failed checkout, with the id of the request that failed so the shopper can quote it to support. */
export type CheckoutError = ApiErrorLike & { requestId: string };

/**
 * Turns one vendor's holds into an order. Each request carries its own `x-request-id`, which
 * the order records (the first successful request's) and the error reports.
 */
export async function checkout({ reservationIds, idempotencyKey }: CheckoutInput) {
  const requestId = crypto.randomUUID();
  const { data, error } = await supabase
    .rpc('checkout', { reservation_ids: reservationIds, idempotency_key: idempotencyKey })
    .setHeader('x-request-id', requestId);
  if (error) throw Object.assign(error, { requestId }) satisfies CheckoutError;
  return data;
}

type Order = Awaited<ReturnType<typeof checkout>>;

/** `onPlaced` runs for every successful request, also after the dialog that sent it has closed (a replay returns the same order). */
export const useCheckout = (onPlaced: (order: Order) => void) => useCartMutation<CheckoutInput, Order, CheckoutError>(checkout, { onSuccess: onPlaced });
