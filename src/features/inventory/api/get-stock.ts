import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { inventoryKeys } from './keys.ts';
import { mergeSnapshot, type Level, type StockProduct, type StockSnapshot } from './stock-snapshot.ts';

/** Hosted Supabase answers at most 1000 rows per request by default (max-rows): products are read in pages of that size. */
export const PAGE_SIZE = 1000;

const PRODUCT_COLUMNS = 'id, sku, name, description, price, low_stock_threshold, active, updated_at';
const LEVEL_COLUMNS = 'location_id, on_hand, reserved, available, version, updated_at';

async function getLocations(vendorId: string, signal: AbortSignal) {
  const { data, error } = await supabase.from('locations').select('id, name').eq('vendor_id', vendorId).order('name').order('id').abortSignal(signal);
  if (error) throw error;
  return data;
}

async function getProductPage(vendorId: string, page: number, signal: AbortSignal, count: boolean) {
  const { data, error, count: total } = await supabase
    .from('products')
    .select(`${PRODUCT_COLUMNS}, inventory_levels(${LEVEL_COLUMNS})`, count ? { count: 'exact' } : undefined)
    .eq('vendor_id', vendorId)
    .order('sku')
    .order('id')
    .range(page * PAGE_SIZE, (page + 1) * PAGE_SIZE - 1)
    .abortSignal(signal);
  if (error) throw error;
  return { rows: data, total: total ?? data.length };
}

/**
 * Every product of the vendor (inactive ones too, which RLS shows only to members) with its
 * levels, and the vendor's locations. The first page says how many there are; the others are
 * read in parallel.
 */
export async function getStock(vendorId: string, signal: AbortSignal): Promise<StockSnapshot> {
  const [locations, first] = await Promise.all([getLocations(vendorId, signal), getProductPage(vendorId, 0, signal, true)]);
  const pages = Math.ceil(first.total / PAGE_SIZE);
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => getProductPage(vendorId, i + 1, signal, false)));
  const products: Record<string, StockProduct> = {};
  const ids: string[] = [];
  for (const { rows } of [first, ...rest]) {
    for (const { inventory_levels, ...fields } of rows) {
      if (products[fields.id]) continue;
      const levels: Record<string, Level> = {};
      for (const l of inventory_levels) levels[l.location_id] = { ...l, available: l.available ?? l.on_hand - l.reserved };
      products[fields.id] = { ...fields, levels };
      ids.push(fields.id);
    }
  }
  return { locations, products, ids };
}

export const stockQueryOptions = (vendorId: string) =>
  queryOptions({
    queryKey: inventoryKeys.stock(vendorId),
    // A fresh snapshot is merged with what events wrote meanwhile (the higher version wins), here
    // and not in structuralSharing, which would also run on every event's cache write.
    queryFn: async ({ signal, client, queryKey }) => mergeSnapshot(client.getQueryData<StockSnapshot>(queryKey), await getStock(vendorId, signal)),
    structuralSharing: false,
    // Events keep it current; a snapshot is read again on every (re)subscribe and when the tab comes back.
    staleTime: Infinity,
  });

export function useStock(vendorId: string) {
  return useQuery(stockQueryOptions(vendorId));
}
