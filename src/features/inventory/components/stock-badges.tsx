import { cn } from '@/lib/cn.ts';
import type { StockState } from '../utils/stock-figures.ts';

const looks = {
  low: { label: 'Low', className: 'bg-amber-50 text-amber-800 ring-amber-600/30' },
  out: { label: 'Out', className: 'bg-red-50 text-red-700 ring-red-600/20' },
  inactive: { label: 'Inactive', className: 'bg-slate-100 text-slate-700 ring-slate-500/20' },
} as const;

/** A compact state label: never colour alone, always the word. */
export function StateBadge({ state, title }: { state: keyof typeof looks; title?: string }) {
  const { label, className } = looks[state];
  return (
    <span title={title} className={cn('inline-flex shrink-0 items-center rounded px-1.5 text-[11px] leading-5 font-semibold tracking-wide uppercase ring-1 ring-inset', className)}>
      {label}
    </span>
  );
}

export function StockStateBadge({ state, threshold }: { state: StockState; threshold: number }) {
  if (state === 'ok') return null;
  return <StateBadge state={state} title={state === 'low' ? `At or below the low-stock threshold of ${threshold}` : 'Nothing available'} />;
}
