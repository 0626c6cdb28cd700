import { useMutation, useQueryClient } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import type { TablesInsert } from '@/types/database.ts';
import { inventoryKeys } from './keys.ts';

export type NewProduct = Pick<TablesInsert<'products'>, 'vendor_id' | 'sku' | 'name' | 'description' | 'price' | 'low_stock_threshold'>;

/** Adds a product through RLS (members of the vendor only). A taken SKU answers 409 (23505). */
export async function createProduct(product: NewProduct) {
  const { data, error } = await supabase.from('products').insert(product).select('id').single();
  if (error) throw error;
  return data;
}

export function useCreateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createProduct,
    onSuccess: (_row, product) => queryClient.invalidateQueries({ queryKey: inventoryKeys.stock(product.vendor_id) }),
  });
}
