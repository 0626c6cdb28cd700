import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { inventoryKeys } from './keys.ts';

export interface HeldReservation {
  id: string;
  location_id: string;
  customer_id: string;
  quantity: number;
  expires_at: string;
  version: number;
}

/** The product's active reservations, soonest to expire first (RLS shows a vendor's members its reservations). */
export async function getProductReservations(productId: string, signal: AbortSignal): Promise<HeldReservation[]> {
  const { data, error } = await supabase
    .from('reservations')
    .select('id, location_id, customer_id, quantity, expires_at, version')
    .eq('product_id', productId)
    .eq('status', 'active')
    .order('expires_at')
    .order('id')
    .limit(500)
    .abortSignal(signal);
  if (error) throw error;
  return data;
}

export const productReservationsQueryOptions = (vendorId: string, productId: string) =>
  queryOptions({
    queryKey: inventoryKeys.reservations(vendorId, productId),
    queryFn: ({ signal }) => getProductReservations(productId, signal),
  });

export function useProductReservations(vendorId: string, productId: string) {
  return useQuery(productReservationsQueryOptions(vendorId, productId));
}

/** The payload of a `reservation` broadcast on `vendor:<id>:stock`. */
export interface ReservationEvent extends HeldReservation {
  product_id: string;
  status: string;
}

export function parseReservationEvent(payload: unknown): ReservationEvent | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const strings = ['id', 'product_id', 'location_id', 'customer_id', 'status', 'expires_at'] as const;
  if (strings.some((k) => typeof p[k] !== 'string') || !Number.isInteger(p.quantity) || !Number.isInteger(p.version)) return undefined;
  return {
    id: p.id as string,
    product_id: p.product_id as string,
    location_id: p.location_id as string,
    customer_id: p.customer_id as string,
    status: p.status as string,
    expires_at: p.expires_at as string,
    quantity: p.quantity as number,
    version: p.version as number,
  };
}

/** The list with the event applied: active ones are added or updated (if newer), others leave it. */
export function applyReservationEvent(rows: HeldReservation[], event: ReservationEvent): HeldReservation[] {
  const index = rows.findIndex((r) => r.id === event.id);
  const held = rows[index];
  if (held && event.version <= held.version) return rows;
  if (event.status !== 'active') return index < 0 ? rows : rows.filter((r) => r.id !== event.id);
  const { product_id: _p, status: _s, ...row } = event;
  const next = index < 0 ? [...rows, row] : rows.map((r) => (r.id === event.id ? row : r));
  return next.sort((a, b) => a.expires_at.localeCompare(b.expires_at) || a.id.localeCompare(b.id));
}
