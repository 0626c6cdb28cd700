import { supabase } from '@/lib/supabase.ts';
import { useCartMutation } from './use-cart-mutation.ts';

export interface ReleaseReservationInput {
  reservationId: string;
  idempotencyKey: string;
}

/** Gives a hold back: "Remove" in the cart. */
export async function releaseReservation({ reservationId, idempotencyKey }: ReleaseReservationInput) {
  const { data, error } = await supabase.rpc('release_reservation', { reservation_id: reservationId, idempotency_key: idempotencyKey });
  if (error) throw error;
  return data;
}

export const useReleaseReservation = () => useCartMutation(releaseReservation);
