import { useEffect, useState } from 'react';
import { queryOptions, replaceEqualDeep, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { heldCount, keepNewerAvailability, nextDeadline, toCartLine, type CartLine } from '../utils/cart-lines.ts';
import { cartKeys } from './keys.ts';

/** The shopper's holds, straight from the server: the cart is what Postgres holds for them, never a copy kept here. */
export async function getCart(signal: AbortSignal): Promise<CartLine[]> {
  const { data, error } = await supabase.rpc('cart_lines').abortSignal(signal);
  if (error) throw error;
  const receivedAt = Date.now();
  return data.map((row) => toCartLine(row, receivedAt));
}

export const cartQueryOptions = () =>
  queryOptions({
    queryKey: cartKeys.lines(),
    queryFn: ({ signal }) => getCart(signal),
    // An availability event that raced the read wins when it is newer (as in the catalog).
    structuralSharing: (previous: unknown, next: unknown) =>
      replaceEqualDeep(previous, keepNewerAvailability(previous as CartLine[] | undefined, next as CartLine[])),
  });

export function useCart() {
  return useQuery(cartQueryOptions());
}

/** The current time, refreshed when the next of these holds lapses (not every second). */
function useLapseClock(lines: readonly CartLine[] | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const next = lines && nextDeadline(lines, Date.now());
    if (next === undefined) return;
    const timer = setTimeout(() => setNow(Date.now()), next - Date.now() + 50);
    return () => clearTimeout(timer);
  }, [lines, now]);
  return now;
}

/** Units held for the shopper now, for the header's cart badge; 0 when `enabled` is false (signed out). */
export function useHeldCount(enabled: boolean): number {
  const { data } = useQuery({ ...cartQueryOptions(), enabled });
  const now = useLapseClock(enabled ? data : undefined);
  return enabled && data ? heldCount(data, now) : 0;
}
