import { memo, useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown, Diff } from 'lucide-react';
import { cn } from '@/lib/cn.ts';
import { formatCount, formatDateTime, formatRelative } from '@/lib/format.ts';
import { useFlashOnChange } from '@/lib/use-flash-on-change.ts';
import { useNow } from '@/lib/use-now.ts';
import { useInventoryUi } from '@/stores/inventory-ui.ts';
import { levelKey, projectedOnHand, type PendingStockChange } from '../api/use-pending-stock-changes.ts';
import type { Location, StockProduct } from '../api/stock-snapshot.ts';
import type { InventoryFilters, Measure, SortKey } from '../utils/grid-rows.ts';
import { figuresOf, stockStateOf } from '../utils/stock-figures.ts';
import { StateBadge, StockStateBadge } from './stock-badges.tsx';

const ROW_HEIGHT = 40;
const NO_PENDING = new Map<string, PendingStockChange[]>();
const HEADER_ROWS = 2;
const MEASURES: Array<{ measure: Measure; label: string; title: string }> = [
  { measure: 'on_hand', label: 'On hand', title: 'On hand' },
  { measure: 'reserved', label: 'Res.', title: 'Reserved by shoppers' },
  { measure: 'available', label: 'Avail.', title: 'Available to sell' },
];
// Fixed widths keep columns still while figures change; the product column takes what is left.
const WIDTH = { sku: 104, measure: 76, total: 84, updated: 104, actions: 48, productMin: 220 };

function FlashFigure({ value, className, label }: { value: number; className?: string; label?: string }) {
  const ref = useFlashOnChange<HTMLSpanElement>(value);
  return (
    <span ref={ref} className={cn('rounded px-1 tabular-nums', className)} aria-label={label}>
      {formatCount(value)}
    </span>
  );
}

interface RowProps {
  product: StockProduct;
  scope: Location[];
  index: number;
  active: boolean;
  pending: Map<string, PendingStockChange[]>;
  now: number;
  onOpen: (productId: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>, index: number, productId: string) => void;
  rowRef: (index: number, element: HTMLTableRowElement | null) => void;
}

const StockRow = memo(function StockRow({ product, scope, index, active, pending, now, onOpen, onKeyDown, rowRef }: RowProps) {
  const figures = figuresOf(product, scope);
  const state = stockStateOf(figures.available, product.low_stock_threshold);
  const openDialog = useInventoryUi((s) => s.stockDialogOpened);
  return (
    <tr
      ref={(el) => rowRef(index, el)}
      aria-rowindex={index + HEADER_ROWS + 1}
      aria-label={`${product.sku} ${product.name}`}
      tabIndex={active ? 0 : -1}
      data-product-id={product.id}
      onClick={() => onOpen(product.id)}
      onKeyDown={(event) => onKeyDown(event, index, product.id)}
      className="group h-10 cursor-pointer border-b border-slate-100 text-sm outline-none hover:bg-slate-50 focus-visible:bg-indigo-50 focus-visible:ring-2 focus-visible:ring-indigo-600 focus-visible:ring-inset"
    >
      <td className="sticky left-0 z-10 hidden truncate bg-white px-3 font-mono text-xs text-slate-600 group-hover:bg-slate-50 group-focus-visible:bg-indigo-50 sm:table-cell">
        {product.sku}
      </td>
      <td className="sticky left-0 z-10 truncate border-r border-slate-100 bg-white px-3 group-hover:bg-slate-50 group-focus-visible:bg-indigo-50 sm:left-[104px]">
        <div className="flex items-center gap-2">
          <span className="truncate font-medium text-slate-900" title={product.name}>
            {product.name}
          </span>
          {!product.active && <StateBadge state="inactive" />}
          {product.active && <StockStateBadge state={state} threshold={product.low_stock_threshold} />}
        </div>
        <div className="truncate font-mono text-[11px] leading-3 text-slate-600 sm:hidden">{product.sku}</div>
      </td>
      {scope.map((location) => {
        const level = product.levels[location.id];
        const changes = pending.get(levelKey(product.id, location.id));
        const onHand = projectedOnHand(level?.on_hand ?? 0, changes);
        return [
          <td key={`${location.id}:on_hand`} className="border-l border-slate-100 px-1 text-right">
            <button
              type="button"
              tabIndex={-1}
              title={changes ? 'Saving…' : `Adjust stock at ${location.name}`}
              aria-label={`On hand at ${location.name}: ${onHand}${changes ? ', saving' : ''}. Adjust`}
              onClick={(event) => {
                event.stopPropagation();
                openDialog({ mode: 'adjust', productId: product.id, locationId: location.id });
              }}
              className={cn(
                'w-full rounded px-1 py-0.5 text-right hover:bg-indigo-50 hover:text-indigo-700',
                changes ? 'text-indigo-700 italic' : level ? 'text-slate-900' : 'text-slate-500',
              )}
            >
              <FlashFigure value={onHand} />
            </button>
          </td>,
          <td key={`${location.id}:reserved`} className="px-2 text-right text-slate-600">
            <FlashFigure value={level?.reserved ?? 0} />
          </td>,
          <td key={`${location.id}:available`} className="px-2 text-right font-medium text-slate-900">
            <FlashFigure value={level?.available ?? 0} />
          </td>,
        ];
      })}
      <td className="border-l border-slate-100 px-3 text-right font-semibold text-slate-900">
        <FlashFigure value={figures.available} />
      </td>
      <td className="px-3 text-right text-xs whitespace-nowrap text-slate-600" title={figures.updatedAt ? formatDateTime(figures.updatedAt) : 'Never stocked'}>
        {figures.updatedAt ? formatRelative(figures.updatedAt, now) : '—'}
      </td>
      <td className="px-2 text-center">
        <button
          type="button"
          tabIndex={-1}
          aria-label={`Adjust stock of ${product.name}`}
          title="Adjust stock (A)"
          onClick={(event) => {
            event.stopPropagation();
            openDialog({ mode: 'adjust', productId: product.id, locationId: scope.length === 1 ? scope[0]!.id : null });
          }}
          className="rounded p-1 text-slate-500 hover:bg-indigo-50 hover:text-indigo-700"
        >
          <Diff className="size-4" aria-hidden="true" />
        </button>
      </td>
    </tr>
  );
});

function SortHeader({
  label,
  title,
  sortKey,
  filters,
  onSort,
  align = 'right',
  className,
}: {
  label: string;
  title?: string;
  sortKey: SortKey;
  filters: InventoryFilters;
  onSort: (key: SortKey, descending: boolean) => void;
  align?: 'left' | 'right';
  className?: string;
}) {
  const sorted = filters.sort === sortKey;
  const Icon = !sorted ? ArrowUpDown : filters.descending ? ArrowDown : ArrowUp;
  return (
    <th scope="col" aria-sort={sorted ? (filters.descending ? 'descending' : 'ascending') : 'none'} className={cn('px-1 py-1.5 font-medium', className)}>
      <button
        type="button"
        title={title ? `Sort by ${title}` : `Sort by ${label}`}
        onClick={() => onSort(sortKey, sorted ? !filters.descending : false)}
        className={cn(
          'inline-flex w-full items-center gap-1 rounded px-1 py-0.5 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600',
          align === 'right' ? 'justify-end' : 'justify-start',
          sorted ? 'text-slate-900' : 'text-slate-600',
        )}
      >
        {label}
        <Icon className={cn('size-3.5 shrink-0', sorted ? 'text-indigo-600' : 'text-slate-400')} aria-hidden="true" />
      </button>
    </th>
  );
}

/** The two header rows: location names, then the sortable columns. Re-renders only when the sort or the locations change. */
const GridHeader = memo(function GridHeader({
  scope,
  filters,
  onSort,
}: {
  scope: Location[];
  filters: InventoryFilters;
  onSort: (key: SortKey, descending: boolean) => void;
}) {
  return (
    <thead className="sticky top-0 z-20 bg-slate-50 text-xs text-slate-600 shadow-[0_1px_0_rgb(226_232_240)]">
      <tr aria-rowindex={1}>
        <th scope="col" className="sticky left-0 z-10 hidden bg-slate-50 sm:table-cell" />
        <th scope="col" className="sticky left-0 z-10 border-r border-slate-200 bg-slate-50 sm:left-[104px]" />
        {scope.map((l) => (
          <th
            key={l.id}
            scope="colgroup"
            colSpan={3}
            className="truncate border-l border-slate-200 px-2 pt-2 text-center font-semibold text-slate-700"
            title={l.name}
          >
            {l.name}
          </th>
        ))}
        <th scope="col" className="border-l border-slate-200" />
        <th scope="col" />
        <th scope="col" />
      </tr>
      <tr aria-rowindex={2}>
        <SortHeader label="SKU" sortKey="sku" filters={filters} onSort={onSort} align="left" className="sticky left-0 z-10 hidden bg-slate-50 sm:table-cell" />
        <SortHeader
          label="Product"
          sortKey="name"
          filters={filters}
          onSort={onSort}
          align="left"
          className="sticky left-0 z-10 border-r border-slate-200 bg-slate-50 sm:left-[104px]"
        />
        {scope.flatMap((l) =>
          MEASURES.map((m, i) => (
            <SortHeader
              key={`${l.id}:${m.measure}`}
              label={m.label}
              title={`${m.title} at ${l.name}`}
              sortKey={`${m.measure}:${l.id}`}
              filters={filters}
              onSort={onSort}
              className={i === 0 ? 'border-l border-slate-200' : undefined}
            />
          )),
        )}
        <SortHeader label="Total avail." title="total available" sortKey="total" filters={filters} onSort={onSort} className="border-l border-slate-200" />
        <SortHeader label="Updated" title="last change" sortKey="updated" filters={filters} onSort={onSort} />
        <th scope="col" className="px-2">
          <span className="sr-only">Actions</span>
        </th>
      </tr>
    </thead>
  );
});

export interface StockGridProps {
  vendorName: string;
  products: Record<string, StockProduct>;
  ids: string[];
  scope: Location[];
  filters: InventoryFilters;
  pending: Map<string, PendingStockChange[]>;
  onSort: (key: SortKey, descending: boolean) => void;
  onOpen: (productId: string) => void;
}

/**
 * The vendor's products × locations, virtualised (only the rows in view are in the DOM), with a
 * sticky header and product column. Keyboard: ↑ ↓ PageUp PageDown Home End move between rows,
 * Enter opens the product, A adjusts, S sets a count.
 */
export function StockGrid({ vendorName, products, ids, scope, filters, pending, onSort, onOpen }: StockGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rows = useRef(new Map<number, HTMLTableRowElement>());
  const focusWanted = useRef<number | null>(null);
  const now = useNow(15_000);
  const activeProductId = useInventoryUi((s) => s.activeProductId);
  const rowFocused = useInventoryUi((s) => s.rowFocused);
  const openDialog = useInventoryUi((s) => s.stockDialogOpened);
  const activeIndex = Math.max(0, activeProductId ? ids.indexOf(activeProductId) : 0);

  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollPaddingStart: ROW_HEIGHT * 2,
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  useEffect(() => {
    if (focusWanted.current === null) return;
    const row = rows.current.get(focusWanted.current);
    if (row) {
      row.focus({ preventScroll: true });
      focusWanted.current = null;
    }
  });

  const rowRef = useRef((index: number, element: HTMLTableRowElement | null) => {
    if (element) rows.current.set(index, element);
    else rows.current.delete(index);
  }).current;

  const moveTo = (index: number) => {
    const next = Math.min(ids.length - 1, Math.max(0, index));
    const id = ids[next];
    if (id === undefined) return;
    rowFocused(id);
    focusWanted.current = next;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const handleKey = (event: KeyboardEvent<HTMLTableRowElement>, index: number, productId: string) => {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + page,
      PageUp: index - page,
      Home: 0,
      End: ids.length - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onOpen(productId);
    } else if (event.key === 'a' || event.key === 'A' || event.key === 's' || event.key === 'S') {
      event.preventDefault();
      openDialog({ mode: event.key.toLowerCase() === 'a' ? 'adjust' : 'set', productId, locationId: scope.length === 1 ? scope[0]!.id : null });
    }
  };

  // One function for every render, reading the latest handler: rows stay memoised across events.
  const keyHandler = useRef(handleKey);
  keyHandler.current = handleKey;
  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTableRowElement>, index: number, productId: string) => keyHandler.current(event, index, productId),
    [],
  );

  // Rows without pending changes get one constant map, so their memo holds.
  const pendingProducts = new Set([...pending.values()].flatMap((changes) => changes.map((c) => c.productId)));
  const minWidth = WIDTH.sku + WIDTH.productMin + scope.length * 3 * WIDTH.measure + WIDTH.total + WIDTH.updated + WIDTH.actions;

  return (
    <div
      ref={scrollRef}
      className="relative h-[70dvh] min-h-[20rem] overflow-auto rounded-xl bg-white ring-1 ring-slate-900/10 lg:h-auto lg:min-h-[16rem] lg:flex-1"
      data-testid="stock-grid-scroller"
    >
      <table
        role="grid"
        aria-label={`Stock of ${vendorName}`}
        aria-rowcount={ids.length + HEADER_ROWS}
        aria-colcount={4 + scope.length * 3 + 1}
        className="w-full table-fixed border-separate border-spacing-0"
        style={{ minWidth }}
      >
        <colgroup>
          <col className="hidden sm:table-column" style={{ width: WIDTH.sku }} />
          <col />
          {scope.flatMap((l) => MEASURES.map((m) => <col key={`${l.id}:${m.measure}`} style={{ width: WIDTH.measure }} />))}
          <col style={{ width: WIDTH.total }} />
          <col style={{ width: WIDTH.updated }} />
          <col style={{ width: WIDTH.actions }} />
        </colgroup>
        <GridHeader scope={scope} filters={filters} onSort={onSort} />
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true">
              <td style={{ height: paddingTop }} colSpan={5 + scope.length * 3} />
            </tr>
          )}
          {items.map((item) => {
            const product = products[ids[item.index]!];
            if (!product) return null;
            return (
              <StockRow
                key={product.id}
                product={product}
                scope={scope}
                index={item.index}
                active={item.index === activeIndex}
                pending={pendingProducts.has(product.id) ? pending : NO_PENDING}
                now={now}
                onOpen={onOpen}
                onKeyDown={onKeyDown}
                rowRef={rowRef}
              />
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true">
              <td style={{ height: paddingBottom }} colSpan={5 + scope.length * 3} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
