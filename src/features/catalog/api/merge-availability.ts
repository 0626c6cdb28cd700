import type { QueryClient } from '@tanstack/react-query';
import type { AvailabilityEvent } from '@/lib/availability-event.ts';
import type { CatalogProduct } from './get-products.ts';
import { catalogKeys } from './keys.ts';

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

/** The product with the event applied; the same object when the event is not newer or about another product. */
export function applyProductAvailability(row: CatalogProduct, event: AvailabilityEvent): CatalogProduct {
  if (row.product_id !== event.product_id || event.version <= row.version) return row;
  return { ...row, available: event.available, version: event.version };
}

/** An event of a product's own topic: into its page's cache and, when the shop is cached too, into the shop's. */
export function writeProductAvailability(queryClient: QueryClient, event: AvailabilityEvent): AvailabilityOutcome {
  const row = queryClient.getQueryData<CatalogProduct | null>(catalogKeys.product(event.product_id));
  writeAvailability(queryClient, event);
  if (!row) return row === null ? 'unknown' : 'no-snapshot';
  if (event.version <= row.version) return 'stale';
  queryClient.setQueryData<CatalogProduct | null>(catalogKeys.product(event.product_id), (current) => current && applyProductAvailability(current, event));
  return 'applied';
}
