import { queryOptions, replaceEqualDeep, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.ts';
import { catalogKeys } from './keys.ts';
import { keepNewerAvailability } from './merge-availability.ts';

type AvailabilityRow = Tables<'product_availability'>;

/**
 * A row of `public.product_availability`: what anyone may see of an active product. The type
 * generator marks every view column nullable (it cannot see through the view); none is null for
 * an active product. `version` grows with every change of the product's stock; events carry it.
 */
export type CatalogProduct = { [K in keyof AvailabilityRow]: NonNullable<AvailabilityRow[K]> };

/** Hosted Supabase answers at most 1000 rows per request by default: the catalog is read in pages of that size. */
export const CATALOG_PAGE = 1000;
/** The most the shop lists; the page says when it hit that. */
export const CATALOG_LIMIT = 5000;

export const PRODUCT_COLUMNS = 'product_id, vendor_id, vendor_name, sku, name, description, price, available, version, low_stock_threshold';

export async function getProducts(signal: AbortSignal): Promise<CatalogProduct[]> {
  const rows: CatalogProduct[] = [];
  for (let from = 0; from < CATALOG_LIMIT; from += CATALOG_PAGE) {
    const { data, error } = await supabase
      .from('product_availability')
      .select(PRODUCT_COLUMNS)
      .order('vendor_name')
      .order('name')
      .order('product_id')
      .range(from, from + CATALOG_PAGE - 1)
      .abortSignal(signal);
    if (error) throw error;
    rows.push(...(data as CatalogProduct[]));
    if (data.length < CATALOG_PAGE) break;
  }
  return rows;
}

export const productsQueryOptions = () =>
  queryOptions({
    queryKey: catalogKeys.products(),
    queryFn: ({ signal }) => getProducts(signal),
    // A snapshot read before an event it raced with must not undo that event: per product, the
    // higher version wins, whichever arrived last.
    structuralSharing: (previous: unknown, next: unknown) =>
      replaceEqualDeep(previous, keepNewerAvailability(previous as CatalogProduct[] | undefined, next as CatalogProduct[])),
  });

export function useProducts() {
  return useQuery(productsQueryOptions());
}
