import { useMutation, useQueryClient } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { isNetworkError } from '../utils/stock-error-message.ts';
import { inventoryKeys, inventoryMutationKeys } from './keys.ts';
import { applyReturnedLevel, type StockSnapshot } from './stock-snapshot.ts';

export interface SetStockInput {
  kind: 'set';
  vendorId: string;
  productId: string;
  locationId: string;
  onHand: number;
  /** The level's version the user saw; 0 when the product was never stocked at this location. */
  expectedVersion: number;
  idempotencyKey: string;
}

/** Compare-and-set of a count: refused with 409 version_conflict when the level changed since `expectedVersion`. */
export async function setStock(input: SetStockInput) {
  const { data, error } = await supabase.rpc('set_stock', {
    product_id: input.productId,
    location_id: input.locationId,
    on_hand: input.onHand,
    expected_version: input.expectedVersion,
    idempotency_key: input.idempotencyKey,
  });
  if (error) throw error;
  return data;
}

export function useSetStock() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: inventoryMutationKeys.stockChange,
    mutationFn: setStock,
    retry: (failures, error) => failures < 2 && isNetworkError(error),
    onSuccess: (level, input) =>
      queryClient.setQueryData<StockSnapshot>(inventoryKeys.stock(input.vendorId), (snapshot) => snapshot && applyReturnedLevel(snapshot, level)),
  });
}
