import { supabase } from '@/lib/supabase.ts';
import { useCartMutation } from './use-cart-mutation.ts';

export interface ExtendReservationInput {
  reservationId: string;
  idempotencyKey: string;
}

/** "Keep holding": restarts the hold's clock, as often as the vendor allows. */
export async function extendReservation({ reservationId, idempotencyKey }: ExtendReservationInput) {
  const { data, error } = await supabase.rpc('extend_reservation', { reservation_id: reservationId, idempotency_key: idempotencyKey });
  if (error) throw error;
  return data;
}

export const useExtendReservation = () => useCartMutation(extendReservation);
