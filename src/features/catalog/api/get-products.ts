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

/** Hosted Supabase answers at most 1000 rows per request by default; the page says when it hit that. */
export const CATALOG_LIMIT = 1000;

const COLUMNS = 'product_id, vendor_id, vendor_name, sku, name, description, price, available, version, low_stock_threshold';

export async function getProducts(signal: AbortSignal): Promise<CatalogProduct[]> {
  const { data, error } = await supabase
    .from('product_availability')
    .select(COLUMNS)
    .order('vendor_name')
    .order('name')
    .order('product_id')
    .limit(CATALOG_LIMIT)
    .abortSignal(signal);
  if (error) throw error;
  return data as CatalogProduct[];
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
