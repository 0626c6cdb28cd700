import { useMutation, useQueryClient } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import type { TablesUpdate } from '@/types/database.ts';
import { inventoryKeys } from './keys.ts';

export type ProductChanges = Pick<TablesUpdate<'products'>, 'name' | 'description' | 'price' | 'low_stock_threshold' | 'active'>;

/** Edits a product through RLS (members of its vendor only); answers the row as stored. */
export async function updateProduct({ productId, changes }: { vendorId: string; productId: string; changes: ProductChanges }) {
  const { data, error } = await supabase.from('products').update(changes).eq('id', productId).select('id').single();
  if (error) throw error;
  return data;
}

export function useUpdateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateProduct,
    onSuccess: (_row, { vendorId }) => queryClient.invalidateQueries({ queryKey: inventoryKeys.stock(vendorId) }),
  });
}
