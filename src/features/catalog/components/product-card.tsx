import { useId } from 'react';
import type { CatalogProduct } from '../api/get-products.ts';
import { useFlashOnChange } from '@/lib/use-flash-on-change.ts';
import { stockState } from '../utils/stock-state.ts';
import { StockBadge } from './stock-badge.tsx';

// No currency in the model yet: prices are shown in US dollars.
const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function ProductCard({ product }: { product: CatalogProduct }) {
  const titleId = useId();
  const flashRef = useFlashOnChange<HTMLParagraphElement>(product.available);
  const state = stockState(product.available, product.low_stock_threshold);
  return (
    <article
      aria-labelledby={titleId}
      data-product-id={product.product_id}
      className="flex h-full flex-col rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-900/5 transition-shadow hover:shadow-md"
    >
      <div className="flex items-start justify-between gap-3">
        <h3 id={titleId} className="text-sm font-semibold text-slate-900">
          {product.name}
        </h3>
        <p className="shrink-0 text-sm font-semibold text-slate-900 tabular-nums">{price.format(product.price)}</p>
      </div>
      <p className="mt-0.5 font-mono text-xs text-slate-400">{product.sku}</p>
      {product.description && <p className="mt-2 line-clamp-2 text-sm text-slate-600">{product.description}</p>}
      <div className="mt-auto flex items-center justify-between gap-3 pt-4">
        <StockBadge state={state} />
        <p ref={flashRef} className="-mr-1.5 rounded-md px-1.5 py-0.5 text-sm text-slate-600">
          <span data-testid="available" className="font-semibold text-slate-900 tabular-nums">
            {product.available}
          </span>{' '}
          available
        </p>
      </div>
    </article>
  );
}
