import { useMutationState } from '@tanstack/react-query';
import type { AdjustStockInput } from './adjust-stock.ts';
import { inventoryMutationKeys } from './keys.ts';
import type { SetStockInput } from './set-stock.ts';

export type PendingStockChange = AdjustStockInput | SetStockInput;

export const levelKey = (productId: string, locationId: string) => `${productId}:${locationId}`;

/**
 * Stock changes sent and not yet answered, by level: the grid shows their effect at once
 * (optimistic display). When one fails it leaves this list, so the figure returns by itself.
 */
export function usePendingStockChanges(vendorId: string): Map<string, PendingStockChange[]> {
  const pending = useMutationState({
    filters: { mutationKey: inventoryMutationKeys.stockChange, status: 'pending' },
    select: (mutation) => mutation.state.variables as PendingStockChange,
  });
  const byLevel = new Map<string, PendingStockChange[]>();
  for (const change of pending) {
    if (change.vendorId !== vendorId) continue;
    const key = levelKey(change.productId, change.locationId);
    byLevel.set(key, [...(byLevel.get(key) ?? []), change]);
  }
  return byLevel;
}

/** The on-hand figure once the pending changes apply, in the order they were sent. */
export function projectedOnHand(onHand: number, changes: readonly PendingStockChange[] | undefined): number {
  let projected = onHand;
  for (const change of changes ?? []) projected = change.kind === 'adjust' ? projected + change.delta : change.onHand;
  return projected;
}
