import { memo } from 'react';
import { cn } from '@/lib/cn.ts';
import { formatCount } from '@/lib/format.ts';
import type { Summary } from '../utils/stock-figures.ts';

function Tile({ label, value, tone, onClick, pressed }: { label: string; value: number; tone?: 'amber' | 'red'; onClick?: () => void; pressed?: boolean }) {
  const body = (
    <>
      <span className="text-xs font-medium text-slate-600">{label}</span>
      <span
        className={cn(
          'text-lg font-semibold tabular-nums sm:text-2xl',
          tone === 'amber' && value > 0 ? 'text-amber-700' : tone === 'red' && value > 0 ? 'text-red-700' : 'text-slate-900',
        )}
        data-testid={`tile-${label.toLowerCase().replaceAll(' ', '-')}`}
      >
        {formatCount(value)}
      </span>
    </>
  );
  const className = 'flex min-w-0 flex-col gap-0.5 rounded-xl bg-white px-3 py-2 text-left ring-1 ring-slate-900/10 sm:px-4 sm:py-3';
  if (!onClick) return <div className={className}>{body}</div>;
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className={cn(className, 'hover:ring-indigo-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600', pressed && 'ring-2 ring-indigo-600')}
    >
      {body}
    </button>
  );
}

/** SKUs, units on hand and reserved, low and out of stock: live, over the active products in scope. */
export const SummaryTiles = memo(function SummaryTiles({ summary, lowPressed, outPressed, onLow, onOut }: { summary: Summary; lowPressed: boolean; outPressed: boolean; onLow: () => void; onOut: () => void }) {
  return (
    <section aria-label="Summary" className="grid grid-cols-3 gap-2 sm:gap-3 lg:grid-cols-5">
      <Tile label="SKUs" value={summary.skus} />
      <Tile label="On hand" value={summary.onHand} />
      <Tile label="Reserved" value={summary.reserved} />
      <Tile label="Low stock" value={summary.low} tone="amber" onClick={onLow} pressed={lowPressed} />
      <Tile label="Out of stock" value={summary.out} tone="red" onClick={onOut} pressed={outPressed} />
    </section>
  );
});
