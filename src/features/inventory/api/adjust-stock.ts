import { useMutation, useQueryClient } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { isNetworkError } from '../utils/stock-error-message.ts';
import { inventoryKeys, inventoryMutationKeys } from './keys.ts';
import { applyReturnedLevel, type StockSnapshot } from './stock-snapshot.ts';

export interface AdjustStockInput {
  kind: 'adjust';
  vendorId: string;
  productId: string;
  locationId: string;
  /** Units added (positive) or removed (negative). */
  delta: number;
  reason: string;
  idempotencyKey: string;
  /** What the change is, in words, for the messages about it ("Trail jacket: +3 at Central warehouse"). */
  label: string;
}

export async function adjustStock(input: AdjustStockInput) {
  const { data, error } = await supabase.rpc('adjust_stock', {
    product_id: input.productId,
    location_id: input.locationId,
    delta: input.delta,
    reason: input.reason,
    idempotency_key: input.idempotencyKey,
  });
  if (error) throw error;
  return data;
}

type Level = Awaited<ReturnType<typeof adjustStock>>;

/**
 * The callbacks belong to the mutation, not to the component that started it: they run even when
 * the form that sent the change has closed (the change is applied optimistically meanwhile).
 */
export function useAdjustStock(callbacks: { onSuccess?: (level: Level, input: AdjustStockInput) => void; onError?: (error: Error, input: AdjustStockInput) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: inventoryMutationKeys.stockChange,
    mutationFn: adjustStock,
    // Safe to resend: the same idempotency key is applied once.
    retry: (failures, error) => failures < 2 && isNetworkError(error),
    onSuccess: (level, input) => {
      queryClient.setQueryData<StockSnapshot>(inventoryKeys.stock(input.vendorId), (snapshot) => snapshot && applyReturnedLevel(snapshot, level));
      callbacks.onSuccess?.(level, input);
    },
    onError: (error, input) => callbacks.onError?.(error, input),
  });
}
