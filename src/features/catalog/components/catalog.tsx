import { useMemo } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState, LoadError, StaleHint } from '@/components/ui/query-states.tsx';
import { formatCount } from '@/lib/format.ts';
import { CATALOG_LIMIT, useProducts } from '../api/get-products.ts';
import { useCatalogRealtime } from '../api/use-catalog-realtime.ts';
import { useCatalogFilters } from '../hooks/use-catalog-filters.ts';
import { groupProducts, vendorsOf } from '../utils/filter-products.ts';
import { CatalogGrid, type ProductAction } from './catalog-grid.tsx';
import { CatalogSkeleton } from './catalog-skeleton.tsx';
import { CatalogToolbar } from './catalog-toolbar.tsx';

/** Every vendor's active products with their live availability, filtered by the URL; `productAction` renders on each card (a quick add). */
export function Catalog({ productAction }: { productAction?: ProductAction }) {
  const products = useProducts();
  const { filters, filtersChanged, filtersCleared } = useCatalogFilters();
  const vendors = useMemo(() => vendorsOf(products.data ?? []), [products.data]);
  const groups = useMemo(() => groupProducts(products.data ?? [], filters), [products.data, filters]);
  useCatalogRealtime(useMemo(() => vendors.map((v) => v.id), [vendors]));
  const shown = groups.reduce((n, g) => n + g.products.length, 0);

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Shop</h1>
          <p className="mt-1 text-sm text-slate-600">What every vendor has in stock right now. Numbers update as stock changes.</p>
        </div>
      </div>

      <CatalogToolbar filters={filters} vendors={vendors} onChange={filtersChanged} />

      {products.isRefetchError && <StaleHint>The catalog could not be refreshed ({products.error.message}); live updates still apply.</StaleHint>}

      {products.isPending ? (
        <CatalogSkeleton />
      ) : !products.data ? (
        <LoadError title="The catalog could not be loaded" error={products.error} retrying={products.isFetching} onRetry={() => void products.refetch()} />
      ) : products.data.length === 0 ? (
        <EmptyState title="No products yet">
          <p className="mt-1 text-sm text-slate-600">Vendors have not listed anything. Check back soon.</p>
        </EmptyState>
      ) : shown === 0 ? (
        <EmptyState title="No products match these filters">
          <Button variant="secondary" className="mt-4" onClick={filtersCleared}>
            Clear filters
          </Button>
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <p className="text-sm text-slate-500" aria-live="polite">
            {shown === 1 ? '1 product' : `${formatCount(shown)} products`}
            {groups.length > 1 && ` from ${groups.length} vendors`}
          </p>
          <CatalogGrid groups={groups} productAction={productAction} />
          {products.data.length >= CATALOG_LIMIT && (
            <p className="text-sm text-slate-500">Showing the first {formatCount(CATALOG_LIMIT)} products; search or pick a vendor to narrow the list.</p>
          )}
        </div>
      )}
    </div>
  );
}
