import { useId, type ReactNode } from 'react';
import { Link } from 'react-router';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { productPath } from '@/lib/paths.ts';
import type { CatalogProduct } from '../api/get-products.ts';
import { useFlashOnChange } from '@/lib/use-flash-on-change.ts';
import { StockBadge } from './stock-badge.tsx';

/** A product in the shop: the whole card opens its page; `action` (a quick add) sits above that link. */
export function ProductCard({ product, action }: { product: CatalogProduct; action?: ReactNode }) {
  const titleId = useId();
  const flashRef = useFlashOnChange<HTMLParagraphElement>(product.available);
  return (
    <article
      aria-labelledby={titleId}
      data-product-id={product.product_id}
      className="relative flex h-full flex-col rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-900/5 transition-shadow hover:shadow-md has-[a:focus-visible]:ring-2 has-[a:focus-visible]:ring-indigo-600"
    >
      <div className="flex items-start justify-between gap-3">
        <h3 id={titleId} className="text-sm font-semibold text-slate-900">
          <Link to={productPath(product.product_id)} className="rounded-sm outline-offset-2 after:absolute after:inset-0 after:rounded-xl focus-visible:outline-2 focus-visible:outline-indigo-600">
            {product.name}
          </Link>
        </h3>
        <p className="shrink-0 text-sm font-semibold text-slate-900 tabular-nums">{formatMoney(product.price)}</p>
      </div>
      <p className="mt-0.5 font-mono text-xs text-slate-500">{product.sku}</p>
      {product.description && <p className="mt-2 line-clamp-2 text-sm text-slate-600">{product.description}</p>}
      <div className="mt-auto flex flex-wrap items-center justify-between gap-x-3 gap-y-2 pt-4">
        <div className="flex items-center gap-2">
          <StockBadge available={product.available} lowStockThreshold={product.low_stock_threshold} />
          <p ref={flashRef} className="rounded-md px-1.5 py-0.5 text-sm text-slate-600">
            <span data-testid="available" className="font-semibold text-slate-900 tabular-nums">
              {formatCount(product.available)}
            </span>{' '}
            available
          </p>
        </div>
        {action && <div className="relative z-10">{action}</div>}
      </div>
    </article>
  );
}
