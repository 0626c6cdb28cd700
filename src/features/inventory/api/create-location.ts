import { useMutation, useQueryClient } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { inventoryKeys } from './keys.ts';

/** Adds a location (warehouse, store) through RLS. A name the vendor already uses answers 409 (23505). */
export async function createLocation({ vendorId, name }: { vendorId: string; name: string }) {
  const { data, error } = await supabase.from('locations').insert({ vendor_id: vendorId, name }).select('id').single();
  if (error) throw error;
  return data;
}

export function useCreateLocation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createLocation,
    onSuccess: (_row, { vendorId }) => queryClient.invalidateQueries({ queryKey: inventoryKeys.stock(vendorId) }),
  });
}
