import type { QueryClient } from '@tanstack/react-query';
import type { CatalogProduct } from './get-products.ts';
import { catalogKeys } from './keys.ts';

/** The payload of an `availability` broadcast (vendor:<id>:availability, product:<id>:availability). */
export interface AvailabilityEvent {
  product_id: string;
  available: number;
  version: number;
}

/** The event, or undefined when the payload is not one (it comes off the network). */
export function parseAvailabilityEvent(payload: unknown): AvailabilityEvent | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { product_id, available, version } = payload as Record<string, unknown>;
  if (typeof product_id !== 'string' || !Number.isInteger(available) || !Number.isInteger(version)) return undefined;
  return { product_id, available: available as number, version: version as number };
}

/** The rows with the event applied; the same array when the event is not newer than what they hold. */
export function applyAvailability(rows: CatalogProduct[], event: AvailabilityEvent): CatalogProduct[] {
  const index = rows.findIndex((row) => row.product_id === event.product_id);
  const row = rows[index];
  if (!row || event.version <= row.version) return rows;
  const next = rows.slice();
  next[index] = { ...row, available: event.available, version: event.version };
  return next;
}

/**
 * A fresh snapshot, except for products whose cached availability is newer (an event that
 * arrived while the snapshot was being read). Products absent from the snapshot are gone.
 */
export function keepNewerAvailability(previous: CatalogProduct[] | undefined, next: CatalogProduct[]): CatalogProduct[] {
  if (!previous) return next;
  const held = new Map(previous.map((row) => [row.product_id, row]));
  return next.map((row) => {
    const cached = held.get(row.product_id);
    return cached && cached.version > row.version ? { ...row, available: cached.available, version: cached.version } : row;
  });
}

/**
 * What became of an event: written into the cache, dropped as stale or duplicate, or about a
 * product the cached catalog does not list (the caller refetches), or no catalog cached yet.
 */
export type AvailabilityOutcome = 'applied' | 'stale' | 'unknown' | 'no-snapshot';

export function writeAvailability(queryClient: QueryClient, event: AvailabilityEvent): AvailabilityOutcome {
  const rows = queryClient.getQueryData<CatalogProduct[]>(catalogKeys.products());
  if (!rows) return 'no-snapshot';
  const row = rows.find((r) => r.product_id === event.product_id);
  if (!row) return 'unknown';
  if (event.version <= row.version) return 'stale';
  queryClient.setQueryData<CatalogProduct[]>(catalogKeys.products(), (current) => current && applyAvailability(current, event));
  return 'applied';
}
