import { cn } from '@/lib/cn.ts';
import type { StockState } from '../utils/stock-state.ts';

const styles: Record<StockState, { label: string; badge: string; dot: string }> = {
  'in-stock': { label: 'In stock', badge: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20', dot: 'bg-emerald-500' },
  'low-stock': { label: 'Low stock', badge: 'bg-amber-50 text-amber-800 ring-amber-600/20', dot: 'bg-amber-500' },
  'out-of-stock': { label: 'Out of stock', badge: 'bg-slate-100 text-slate-600 ring-slate-500/20', dot: 'bg-slate-400' },
};

export function StockBadge({ state }: { state: StockState }) {
  const { label, badge, dot } = styles[state];
  return (
    <span data-testid="stock-state" className={cn('inline-flex items-center gap-1.5 rounded-full px-2 py-1 text-xs font-medium ring-1 ring-inset', badge)}>
      <span className={cn('size-1.5 rounded-full', dot)} aria-hidden="true" />
      {label}
    </span>
  );
}
