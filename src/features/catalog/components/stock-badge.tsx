import { cn } from '@/lib/cn.ts';
import { stockLabel, stockState, type StockState } from '../utils/stock-state.ts';

const styles: Record<StockState, { badge: string; dot: string }> = {
  'in-stock': { badge: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20', dot: 'bg-emerald-500' },
  'low-stock': { badge: 'bg-amber-50 text-amber-800 ring-amber-600/20', dot: 'bg-amber-500' },
  'out-of-stock': { badge: 'bg-slate-100 text-slate-700 ring-slate-500/20', dot: 'bg-slate-400' },
};

export function StockBadge({ available, lowStockThreshold }: { available: number; lowStockThreshold: number }) {
  const { badge, dot } = styles[stockState(available, lowStockThreshold)];
  return (
    <span data-testid="stock-state" className={cn('inline-flex items-center gap-1.5 rounded-full px-2 py-1 text-xs font-medium ring-1 ring-inset', badge)}>
      <span className={cn('size-1.5 rounded-full', dot)} aria-hidden="true" />
      {stockLabel(available, lowStockThreshold)}
    </span>
  );
}
