import { memo, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import type { CatalogProduct } from '../api/get-products.ts';
import { useColumns } from '../hooks/use-columns.ts';
import { catalogRows, type CatalogRow } from '../utils/catalog-rows.ts';
import type { VendorGroup } from '../utils/filter-products.ts';
import { ProductCard } from './product-card.tsx';

export type ProductAction = (product: CatalogProduct) => ReactNode;

/** The list's distance from the top of the document, which the window virtualiser needs; re-read when the content above it moves. */
function useDocumentTop(ref: RefObject<HTMLElement | null>): number {
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const next = Math.round(element.getBoundingClientRect().top + window.scrollY);
    if (next !== top) setTop(next);
  });
  return top;
}

/**
 * A row's content. Rows are recomputed only when the products or the width change, so while the
 * virtualiser moves and measures rows, their cards do not render again (`productAction` must be
 * stable too).
 */
const RowContent = memo(function RowContent({ row, first, productAction }: { row: CatalogRow; first: boolean; productAction?: ProductAction | undefined }) {
  if (row.kind === 'vendor') {
    return (
      <div className={first ? 'pb-4' : 'pt-6 pb-4'}>
        <div className="flex items-baseline justify-between gap-4 border-b border-slate-200 pb-2">
          <h2 className="text-lg font-semibold tracking-tight text-slate-900">{row.group.name}</h2>
          <p className="text-sm text-slate-500">{row.group.products.length === 1 ? '1 product' : `${row.group.products.length} products`}</p>
        </div>
      </div>
    );
  }
  return (
    <ul className="grid gap-4 pb-4 sm:grid-cols-2 lg:grid-cols-3">
      {row.products.map((product) => (
        <li key={product.product_id}>
          <ProductCard product={product} action={productAction?.(product)} />
        </li>
      ))}
    </ul>
  );
});

/**
 * Every vendor's products, grouped under the vendor's heading, rendered only around the
 * viewport: thousands of products scroll without thousands of cards in the DOM.
 */
export function CatalogGrid({ groups, productAction }: { groups: VendorGroup[]; productAction?: ProductAction | undefined }) {
  const columns = useColumns();
  const rows = useMemo(() => catalogRows(groups, columns), [groups, columns]);
  const listRef = useRef<HTMLDivElement>(null);
  const top = useDocumentTop(listRef);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (index) => (rows[index]?.kind === 'vendor' ? 64 : 196),
    getItemKey: (index) => rows[index]!.key,
    overscan: 6,
    scrollMargin: top,
  });

  return (
    <div ref={listRef} className="relative" style={{ height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((item) => (
        <div
          key={item.key}
          data-index={item.index}
          ref={virtualizer.measureElement}
          className="absolute top-0 left-0 w-full"
          style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
        >
          <RowContent row={rows[item.index]!} first={item.index === 0} productAction={productAction} />
        </div>
      ))}
    </div>
  );
}
