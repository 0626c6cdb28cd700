import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Download, MapPinPlus, Plus, Upload } from 'lucide-react';
import { Outlet, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '@/components/ui/alert.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Button } from '@/components/ui/button.tsx';
import { formatCount } from '@/lib/format.ts';
import { useThrottledValue } from '@/lib/use-throttled-value.ts';
import type { Viewer } from '@/lib/viewer.ts';
import { useStock } from '../api/get-stock.ts';
import { usePendingStockChanges } from '../api/use-pending-stock-changes.ts';
import { useStockRealtime } from '../api/use-stock-realtime.ts';
import { useInventoryFilters } from '../hooks/use-inventory-filters.ts';
import { useVisibleIds } from '../hooks/use-visible-ids.ts';
import { locationsInScope, type SortKey } from '../utils/grid-rows.ts';
import { summarize } from '../utils/stock-figures.ts';
import { GridSkeleton, TilesSkeleton } from './grid-skeleton.tsx';
import { LedgerHealth } from './ledger-health.tsx';
import { LowStockPanel } from './low-stock-panel.tsx';
import { InventoryToolbar } from './inventory-toolbar.tsx';
import { loadStockChangeModal, StockChangeDialog } from './stock-change-dialog.tsx';
import { StockGrid } from './stock-grid.tsx';
import { SummaryTiles } from './summary-tiles.tsx';

type OpenDialog = 'import' | 'product' | 'location' | null;
const NO_LOCATIONS: never[] = [];

// Dialogs and the CSV parser are loaded when first needed (and fetched ahead once the page is idle),
// so the grid's first paint does not wait for them.
const loadImportDialog = () => import('./import-counts-dialog.tsx');
const loadAddProduct = () => import('./add-product-dialog.tsx');
const loadAddLocation = () => import('./add-location-dialog.tsx');
const ImportCountsDialog = lazy(() => loadImportDialog().then((m) => ({ default: m.ImportCountsDialog })));
const AddProductDialog = lazy(() => loadAddProduct().then((m) => ({ default: m.AddProductDialog })));
const AddLocationDialog = lazy(() => loadAddLocation().then((m) => ({ default: m.AddLocationDialog })));

/** Fetches the chunks behind `loaders` once `ready` (the grid is on screen) and the page is idle. */
function usePrefetchWhenIdle(loaders: Array<() => Promise<unknown>>, ready: boolean) {
  const [first] = useState(loaders);
  useEffect(() => {
    if (!ready) return;
    const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 1500));
    const handle = idle(() => first.forEach((load) => void load().catch(() => undefined)));
    return () => (window.cancelIdleCallback ?? clearTimeout)(handle);
  }, [ready, first]);
}

function download(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');


/** The vendor whose stock is shown: `?vendor=` when the user belongs to it, else their first vendor. */
function useActiveVendor(viewer: Viewer) {
  const [params] = useSearchParams();
  const wanted = params.get('vendor');
  const membership = viewer.memberships.find((m) => m.vendorId === wanted) ?? viewer.memberships[0]!;
  return { membership, refused: wanted !== null && membership.vendorId !== wanted };
}

/** The vendor's workspace: live tiles, filters and the products × locations grid, with its dialogs and drawer. */
export function InventoryPage({ viewer }: { viewer: Viewer }) {
  const { membership, refused } = useActiveVendor(viewer);
  const vendorId = membership.vendorId;
  const stock = useStock(vendorId);
  useStockRealtime(vendorId);
  const { filters, filtersChanged, filtersCleared } = useInventoryFilters();
  const snapshot = stock.data;
  const locations = snapshot?.locations;
  const scope = useMemo(() => (locations ? locationsInScope({ locations }, filters.locationId) : []), [locations, filters.locationId]);
  const ids = useVisibleIds(snapshot, filters);
  // Whole-inventory figures follow events at most twice a second; the grid's cells follow each one.
  const settled = useThrottledValue(snapshot, 500);
  const summary = useMemo(() => summarize(Object.values(settled?.products ?? {}), scope), [settled, scope]);
  const pending = usePendingStockChanges(vendorId);
  const navigate = useNavigate();
  const location = useLocation();
  const openProduct = useCallback((productId: string) => void navigate({ pathname: `/inventory/p/${productId}`, search: location.search }), [navigate, location.search]);
  // Whether a product is active changes with edits, not with stock events: the settled snapshot is enough.
  const activeCount = useMemo(() => (settled ? settled.ids.filter((id) => settled.products[id]?.active !== filters.inactive).length : 0), [settled, filters.inactive]);
  // Stable callbacks: the children below are memoised, so a stock event re-renders only what it changed.
  const toggleLow = useCallback(() => filtersChanged({ lowStock: !filters.lowStock }), [filtersChanged, filters.lowStock]);
  const toggleOut = useCallback(() => filtersChanged({ outOfStock: !filters.outOfStock }), [filtersChanged, filters.outOfStock]);
  const sortChanged = useCallback((sort: SortKey, descending: boolean) => filtersChanged({ sort, descending }), [filtersChanged]);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  usePrefetchWhenIdle([loadStockChangeModal, loadImportDialog, loadAddProduct, loadAddLocation], Boolean(snapshot));
  const exportView = async () => {
    if (!snapshot) return;
    const { exportCsv } = await import('../utils/inventory-csv.ts');
    download(`${slug(membership.vendorName)}-inventory-${new Date().toISOString().slice(0, 10)}.csv`, exportCsv(snapshot, ids, scope));
  };

  return (
    // On wide screens the page fits the window and the grid scrolls inside it, under a sticky header.
    <div className="flex flex-col gap-4 lg:h-[calc(100dvh-6.5rem)]">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0">
          <h1 className="truncate text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">
            {membership.vendorName} <span className="font-normal text-slate-500">· Inventory</span>
          </h1>
          <p className="mt-0.5 hidden text-sm text-slate-600 sm:block">Live stock across your locations. Figures change as they happen; no need to reload.</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" disabled={!snapshot} onClick={() => setDialog('import')}>
            <Upload className="size-4" aria-hidden="true" />
            Import count
          </Button>
          <Button variant="secondary" disabled={!snapshot || ids.length === 0} onClick={() => void exportView()}>
            <Download className="size-4" aria-hidden="true" />
            Export CSV
          </Button>
          <Button variant="secondary" aria-label="Add location" onClick={() => setDialog('location')}>
            <MapPinPlus className="size-4" aria-hidden="true" />
            Location
          </Button>
          <Button aria-label="Add product" onClick={() => setDialog('product')}>
            <Plus className="size-4" aria-hidden="true" />
            Product
          </Button>
        </div>
      </div>
      {refused && (
        <Alert tone="error" title="You are not a member of that vendor">
          Showing {membership.vendorName} instead.
        </Alert>
      )}

      {snapshot ? (
        <SummaryTiles
          summary={summary}
          lowPressed={filters.lowStock}
          outPressed={filters.outOfStock}
          onLow={toggleLow}
          onOut={toggleOut}
        />
      ) : (
        <TilesSkeleton />
      )}
      {settled && <LowStockPanel snapshot={settled} scope={scope} onOpen={openProduct} />}

      <div className="flex flex-col gap-2 lg:flex-row lg:items-center lg:justify-between">
        <InventoryToolbar filters={filters} locations={locations ?? NO_LOCATIONS} onChange={filtersChanged} />
        {snapshot && (
          <div className="flex items-center gap-4">
            <LedgerHealth vendorId={vendorId} snapshot={settled ?? snapshot} />
            <p className="text-sm text-slate-600 tabular-nums" aria-live="polite">
              {ids.length === activeCount ? `${formatCount(ids.length)} products` : `${formatCount(ids.length)} of ${formatCount(activeCount)} products`}
            </p>
          </div>
        )}
      </div>

      {stock.isRefetchError && (
        <p role="status" className="text-sm text-amber-800">
          The stock could not be refreshed ({stock.error.message}); live updates still apply.
        </p>
      )}

      {stock.isPending ? (
        <GridSkeleton />
      ) : !snapshot ? (
        <Alert tone="error" title="The stock could not be loaded">
          <p>{stock.error?.message}</p>
          <Button variant="secondary" className="mt-3" loading={stock.isFetching} onClick={() => void stock.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : snapshot.ids.length === 0 ? (
        <EmptyState title="No products yet">
          <p className="mt-1 text-sm text-slate-600">Add your first product, then stock it at one of your locations.</p>
        </EmptyState>
      ) : ids.length === 0 ? (
        <EmptyState title="No products match these filters">
          <Button variant="secondary" className="mt-4" onClick={filtersCleared}>
            Clear filters
          </Button>
        </EmptyState>
      ) : (
        <StockGrid
          vendorName={membership.vendorName}
          products={snapshot.products}
          ids={ids}
          scope={scope}
          filters={filters}
          pending={pending}
          onSort={sortChanged}
          onOpen={openProduct}
        />
      )}

      {snapshot && <StockChangeDialog vendorId={vendorId} snapshot={snapshot} userId={viewer.userId} />}
      <Suspense fallback={null}>
        {dialog === 'import' && snapshot && <ImportCountsDialog open onClose={() => setDialog(null)} vendorId={vendorId} snapshot={snapshot} />}
        {dialog === 'product' && <AddProductDialog open onClose={() => setDialog(null)} vendorId={vendorId} onCreated={openProduct} />}
        {dialog === 'location' && <AddLocationDialog open onClose={() => setDialog(null)} vendorId={vendorId} />}
      </Suspense>
      <Outlet context={{ vendorId, snapshot, viewer }} />
    </div>
  );
}
