// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createQueryClient } from '@/lib/query-client.ts';
import { productsQueryOptions, type CatalogProduct } from '../get-products.ts';
import { catalogKeys } from '../keys.ts';
import { keepNewerAvailability, writeAvailability } from '../merge-availability.ts';

function product(id: string, available: number, version: number): CatalogProduct {
  return {
    product_id: id, vendor_id: 'v1', vendor_name: 'Vendor', sku: `SKU-${id}`, name: `Product ${id}`,
    description: '', price: 9.5, available, version, low_stock_threshold: 5,
  };
}

function freshClient(rows?: CatalogProduct[]) {
  const queryClient = createQueryClient({ queries: { retry: false }, mutations: { retry: false } });
  if (rows) queryClient.setQueryData(catalogKeys.products(), rows);
  return queryClient;
}

const cached = (queryClient: ReturnType<typeof freshClient>) => queryClient.getQueryData<CatalogProduct[]>(catalogKeys.products());

describe('writeAvailability', () => {
  it('writes a newer event into its product and leaves the other rows as they were', () => {
    const queryClient = freshClient([product('a', 10, 2), product('b', 4, 7)]);
    const before = cached(queryClient)!;
    expect(writeAvailability(queryClient, { product_id: 'a', available: 6, version: 3 })).toBe('applied');
    const after = cached(queryClient)!;
    expect(after.map((p) => [p.product_id, p.available, p.version])).toEqual([['a', 6, 3], ['b', 4, 7]]);
    expect(after[1]).toBe(before[1]);
    expect(after[0]).toMatchObject({ name: 'Product a', price: 9.5, low_stock_threshold: 5 });
  });

  it('drops duplicates and events older than the cached version, whatever order they arrive in', () => {
    const queryClient = freshClient([product('a', 10, 2)]);
    expect(writeAvailability(queryClient, { product_id: 'a', available: 3, version: 5 })).toBe('applied');
    expect(writeAvailability(queryClient, { product_id: 'a', available: 3, version: 5 })).toBe('stale');
    expect(writeAvailability(queryClient, { product_id: 'a', available: 8, version: 4 })).toBe('stale');
    expect(writeAvailability(queryClient, { product_id: 'a', available: 9, version: 2 })).toBe('stale');
    expect(cached(queryClient)).toEqual([product('a', 3, 5)]);
    expect(writeAvailability(queryClient, { product_id: 'a', available: 0, version: 6 })).toBe('applied');
    expect(cached(queryClient)).toEqual([product('a', 0, 6)]);
  });

  it('leaves the cache alone for a product it does not list, and says so', () => {
    const queryClient = freshClient([product('a', 10, 2)]);
    const before = cached(queryClient);
    expect(writeAvailability(queryClient, { product_id: 'new', available: 1, version: 1 })).toBe('unknown');
    expect(cached(queryClient)).toBe(before);
  });

  it('creates nothing before the snapshot is cached', () => {
    const queryClient = freshClient();
    expect(writeAvailability(queryClient, { product_id: 'a', available: 1, version: 1 })).toBe('no-snapshot');
    expect(cached(queryClient)).toBeUndefined();
  });
});

describe('a snapshot arriving after events', () => {
  const refetchWith = (queryClient: ReturnType<typeof freshClient>, rows: CatalogProduct[]) =>
    queryClient.fetchQuery({ ...productsQueryOptions(), queryFn: async () => rows, staleTime: 0 });

  it('keeps availability the cache got from a newer event, takes the rest from the snapshot', async () => {
    const queryClient = freshClient([product('a', 10, 2), product('b', 4, 7)]);
    writeAvailability(queryClient, { product_id: 'a', available: 1, version: 9 });
    // Read before that event committed: older for a, newer for b, and a new product c.
    await refetchWith(queryClient, [{ ...product('a', 10, 3), price: 12 }, product('b', 2, 8), product('c', 5, 1)]);
    expect(cached(queryClient)!.map((p) => [p.product_id, p.available, p.version, p.price])).toEqual([
      ['a', 1, 9, 12],
      ['b', 2, 8, 9.5],
      ['c', 5, 1, 9.5],
    ]);
  });

  it('drops products the snapshot no longer lists, and keeps unchanged rows identical', async () => {
    const queryClient = freshClient([product('a', 10, 2), product('b', 4, 7)]);
    const before = cached(queryClient)!;
    await refetchWith(queryClient, [product('a', 10, 2)]);
    const after = cached(queryClient)!;
    expect(after).toEqual([product('a', 10, 2)]);
    expect(after[0]).toBe(before[0]);
  });

  it('keepNewerAvailability takes the snapshot as is when nothing is cached', () => {
    const rows = [product('a', 1, 1)];
    expect(keepNewerAvailability(undefined, rows)).toBe(rows);
  });
});
