import { queryOptions, replaceEqualDeep, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { catalogKeys } from './keys.ts';
import { keepNewerAvailability } from './merge-availability.ts';

/** A row of `public.product_availability`: what anyone may see of an active product. */
export interface CatalogProduct {
  product_id: string;
  vendor_id: string;
  vendor_name: string;
  sku: string;
  name: string;
  description: string;
  price: number;
  available: number;
  /** Grows with every change of the product's stock; events carry it too. */
  version: number;
  low_stock_threshold: number;
}

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
    .abortSignal(signal)
    .overrideTypes<CatalogProduct[], { merge: false }>();
  if (error) throw error;
  // numeric arrives as a JSON number from PostgREST; Number() also accepts a string form.
  return data.map((row) => ({ ...row, price: Number(row.price) }));
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
