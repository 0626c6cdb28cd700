import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Breadcrumb } from '@/components/ui/breadcrumb.tsx';
import { EmptyState, LoadError, StaleHint } from '@/components/ui/query-states.tsx';
import { formatCount, formatMoney } from '@/lib/format.ts';
import type { CatalogProduct } from '../api/get-products.ts';
import { useProduct } from '../api/get-product.ts';
import { useProductRealtime } from '../api/use-product-realtime.ts';
import { useFlashOnChange } from '@/lib/use-flash-on-change.ts';
import { useThrottledValue } from '@/lib/use-throttled-value.ts';
import { StockBadge } from './stock-badge.tsx';

/** What the live region says about availability, at most every 5 s however often it changes. */
function AvailabilityAnnouncement({ available }: { available: number }) {
  const said = useThrottledValue(available, 5_000);
  return (
    <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="availability-announcement">
      {formatCount(said)} available now
    </p>
  );
}

function Availability({ product }: { product: CatalogProduct }) {
  const flashRef = useFlashOnChange<HTMLParagraphElement>(product.available);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <AvailabilityAnnouncement available={product.available} />
      <StockBadge available={product.available} lowStockThreshold={product.low_stock_threshold} />
      <p ref={flashRef} className="rounded-md px-1.5 py-0.5 text-sm text-slate-600">
        <span data-testid="available" className="font-semibold text-slate-900 tabular-nums">
          {formatCount(product.available)}
        </span>{' '}
        available now
      </p>
    </div>
  );
}

function ProductSkeleton() {
  return (
    <div role="status" className="grid animate-pulse gap-8 lg:grid-cols-[1fr_22rem]">
      <span className="sr-only">Loading the product</span>
      <div className="space-y-3" aria-hidden="true">
        <div className="h-4 w-40 rounded bg-slate-200" />
        <div className="h-8 w-2/3 rounded bg-slate-200" />
        <div className="h-3 w-24 rounded bg-slate-100" />
        <div className="mt-6 h-3 w-full rounded bg-slate-100" />
        <div className="h-3 w-5/6 rounded bg-slate-100" />
      </div>
      <div className="h-64 rounded-xl bg-white shadow-sm ring-1 ring-slate-900/5" aria-hidden="true" />
    </div>
  );
}

/**
 * A product's page: what it is, who sells it, its price and its live availability. `purchase`
 * renders the buying controls in the side panel (the cart's add-to-cart form).
 */
export function ProductDetails({ productId, purchase }: { productId: string; purchase: (product: CatalogProduct) => ReactNode }) {
  const product = useProduct(productId);
  useProductRealtime(productId);
  const data = product.data;

  return (
    <div className="space-y-6">
      <Breadcrumb items={[{ label: 'Shop', to: '/shop' }, ...(data ? [{ label: data.vendor_name, to: `/shop?vendor=${data.vendor_id}` }] : [])]} />
      {product.isRefetchError && data && <StaleHint>The product could not be refreshed ({product.error.message}); live updates still apply.</StaleHint>}
      {product.isPending ? (
        <ProductSkeleton />
      ) : data === undefined ? (
        <LoadError title="The product could not be loaded" error={product.error} retrying={product.isFetching} onRetry={() => void product.refetch()} />
      ) : data === null ? (
        <EmptyState title="This product is not for sale">
          <p className="mt-1 text-sm text-slate-600">It may have been removed by its vendor, or the address is mistyped.</p>
          <Link to="/shop" className="mt-4 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
            Back to the shop
          </Link>
        </EmptyState>
      ) : (
        <div className="grid gap-8 lg:grid-cols-[1fr_22rem] lg:items-start">
          <article aria-labelledby="product-title" className="min-w-0">
            <p className="text-sm font-medium text-indigo-700">{data.vendor_name}</p>
            <h1 id="product-title" className="mt-1 text-2xl font-semibold tracking-tight text-slate-900 sm:text-3xl">
              {data.name}
            </h1>
            <p className="mt-1 font-mono text-xs text-slate-500">SKU {data.sku}</p>
            {data.description ? (
              <p className="mt-6 max-w-prose text-base/7 whitespace-pre-line text-slate-700">{data.description}</p>
            ) : (
              <p className="mt-6 text-sm text-slate-500">The vendor has not described this product.</p>
            )}
          </article>
          <aside aria-label="Buy" className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-900/5 lg:sticky lg:top-20">
            <p className="text-2xl font-semibold text-slate-900 tabular-nums">{formatMoney(data.price)}</p>
            <Availability product={data} />
            {purchase(data)}
          </aside>
        </div>
      )}
    </div>
  );
}
