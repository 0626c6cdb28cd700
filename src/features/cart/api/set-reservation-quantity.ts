import { supabase } from '@/lib/supabase.ts';
import { useCartMutation } from './use-cart-mutation.ts';

export interface SetReservationQuantityInput {
  reservationId: string;
  quantity: number;
  idempotencyKey: string;
}

/** Changes how many a hold keeps, in place (same location, same expiry). */
export async function setReservationQuantity({ reservationId, quantity, idempotencyKey }: SetReservationQuantityInput) {
  const { data, error } = await supabase.rpc('set_reservation_quantity', { reservation_id: reservationId, quantity, idempotency_key: idempotencyKey });
  if (error) throw error;
  return data;
}

export const useSetReservationQuantity = () => useCartMutation(setReservationQuantity);
