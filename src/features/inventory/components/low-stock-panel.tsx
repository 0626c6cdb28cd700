import { ChevronDown } from 'lucide-react';
import { memo, useMemo } from 'react';
import { formatCount } from '@/lib/format.ts';
import type { Location, StockSnapshot } from '../api/stock-snapshot.ts';
import { figuresOf, stockStateOf } from '../utils/stock-figures.ts';
import { StockStateBadge } from './stock-badges.tsx';

const SHOWN = 12;

/** Active products at or below their threshold (out of stock first), each a link to its drawer. */
function needingStock(snapshot: StockSnapshot, scope: Location[]) {
  const items = [];
  for (const id of snapshot.ids) {
    const product = snapshot.products[id]!;
    if (!product.active) continue;
    const available = figuresOf(product, scope).available;
    const state = stockStateOf(available, product.low_stock_threshold);
    if (state !== 'ok') items.push({ product, available, state });
  }
  return items.sort((a, b) => a.available - b.available || (a.product.sku < b.product.sku ? -1 : 1));
}

export const LowStockPanel = memo(function LowStockPanel({ snapshot, scope, onOpen }: { snapshot: StockSnapshot; scope: Location[]; onOpen: (productId: string) => void }) {
  const items = useMemo(() => needingStock(snapshot, scope), [snapshot, scope]);
  if (items.length === 0) return null;
  return (
    <details aria-label="Low stock" className="group rounded-xl bg-amber-50/60 ring-1 ring-amber-600/20">
      <summary className="flex w-full cursor-pointer list-none items-center justify-between gap-2 rounded-xl px-4 py-2.5 text-left text-sm font-semibold text-amber-900 focus-visible:outline-2 focus-visible:outline-indigo-600 [&::-webkit-details-marker]:hidden">
        <span>
          {items.length === 1 ? '1 item needs' : `${items.length} items need`} restocking
          <span className="ml-2 font-normal text-amber-900/80">at or below their low-stock threshold</span>
        </span>
        <ChevronDown className="size-4 transition-transform group-open:rotate-180 motion-reduce:transition-none" aria-hidden="true" />
      </summary>
      <ul className="grid gap-x-6 gap-y-1 px-4 pb-3 sm:grid-cols-2 lg:grid-cols-3">
        {items.slice(0, SHOWN).map(({ product, available, state }) => (
          <li key={product.id}>
            <button type="button" onClick={() => onOpen(product.id)} className="flex w-full items-center gap-2 rounded px-1 py-1 text-left text-sm hover:bg-amber-100/70 focus-visible:outline-2 focus-visible:outline-indigo-600">
              <StockStateBadge state={state} threshold={product.low_stock_threshold} />
              <span className="min-w-0 flex-1 truncate text-slate-900">{product.name}</span>
              <span className="text-slate-700 tabular-nums">
                {formatCount(available)} / {formatCount(product.low_stock_threshold)}
              </span>
            </button>
          </li>
        ))}
        {items.length > SHOWN && <li className="px-1 py-1 text-sm text-amber-900">and {items.length - SHOWN} more: use the Low stock and Out of stock filters.</li>}
      </ul>
    </details>
  );
});
