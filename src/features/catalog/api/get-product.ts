import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { isUuid } from '@/lib/uuid.ts';
import { PRODUCT_COLUMNS, type CatalogProduct } from './get-products.ts';
import { catalogKeys } from './keys.ts';
import { applyProductAvailability } from './merge-availability.ts';

/** An active product as anyone may see it, or null when there is none by that id (or it is not for sale). */
export async function getProduct(productId: string, signal: AbortSignal): Promise<CatalogProduct | null> {
  // Not an id at all: nothing to ask the API (it would answer 400 invalid input syntax for uuid).
  if (!isUuid(productId)) return null;
  const { data, error } = await supabase.from('product_availability').select(PRODUCT_COLUMNS).eq('product_id', productId).abortSignal(signal).maybeSingle();
  if (error) throw error;
  return data as CatalogProduct | null;
}

export const productQueryOptions = (productId: string, queryClient?: QueryClient) =>
  queryOptions<CatalogProduct | null, Error, CatalogProduct | null, ReturnType<typeof catalogKeys.product>>({
    queryKey: catalogKeys.product(productId),
    queryFn: ({ signal }) => getProduct(productId, signal),
    // Opened from the shop: show the card's figures at once, while the page reads its own.
    placeholderData: () => queryClient?.getQueryData<CatalogProduct[]>(catalogKeys.products())?.find((p) => p.product_id === productId),
    // As for the catalog, an event that raced the read wins when it is newer.
    structuralSharing: (previous: unknown, next: unknown) => {
      const held = previous as CatalogProduct | null | undefined;
      const read = next as CatalogProduct | null;
      return held && read ? applyProductAvailability(read, { product_id: held.product_id, available: held.available, version: held.version }) : read;
    },
  });

export function useProduct(productId: string) {
  const queryClient = useQueryClient();
  return useQuery(productQueryOptions(productId, queryClient));
}
