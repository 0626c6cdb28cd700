import { lazy, Suspense } from 'react';
import { toast } from '@/lib/toast.ts';
import { formatCount } from '@/lib/format.ts';
import { useInventoryUi } from '@/stores/inventory-ui.ts';
import { useAdjustStock } from '../api/adjust-stock.ts';
import type { StockSnapshot } from '../api/stock-snapshot.ts';
import { stockErrorMessage } from '../utils/stock-error-message.ts';

export const loadStockChangeModal = () => import('./stock-change-form.tsx');
const StockChangeModal = lazy(loadStockChangeModal);

/** Adjust by a delta with a reason, or set an exact count (compare-and-set on the version the user saw). */
export function StockChangeDialog({ vendorId, snapshot, userId }: { vendorId: string; snapshot: StockSnapshot; userId: string }) {
  const target = useInventoryUi((s) => s.stockDialog);
  const close = useInventoryUi((s) => s.stockDialogClosed);
  const product = target ? snapshot.products[target.productId] : undefined;
  // Here, not in the form: the form closes as soon as an adjustment is sent.
  const adjust = useAdjustStock({
    onSuccess: (saved, input) => toast.success(input.label, { description: `On hand now ${formatCount(saved.on_hand)}.` }),
    onError: (error, input) => {
      const message = stockErrorMessage(error);
      toast.error(`Not applied: ${input.label}`, { description: message.description, action: { label: 'Try again', onClick: () => adjust.mutate(input) } });
    },
  });
  if (!target || !product) return null;
  return (
    <Suspense fallback={null}>
      <StockChangeModal
        vendorId={vendorId}
        snapshot={snapshot}
        userId={userId}
        target={target}
        onAdjust={(input) => {
          // Optimistic: the grid shows the new figure at once; a failure takes it back and says why.
          close();
          adjust.mutate(input);
        }}
        onClose={close}
      />
    </Suspense>
  );
}

