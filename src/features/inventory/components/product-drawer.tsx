import { Tab, TabGroup, TabList, TabPanel, TabPanels } from '@headlessui/react';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useNavigate, useOutletContext, useParams, useSearchParams } from 'react-router';
import { toast } from '@/lib/toast.ts';
import { SlideOver } from '@/components/ui/dialog.tsx';
import { PageSpinner } from '@/components/ui/spinner.tsx';
import type { Viewer } from '@/lib/viewer.ts';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { supabase } from '@/lib/supabase.ts';
import { useNow } from '@/lib/use-now.ts';
import { inventoryKeys } from '../api/keys.ts';
import type { StockProduct, StockSnapshot } from '../api/stock-snapshot.ts';
import { useUpdateProduct } from '../api/update-product.ts';
import { figuresOf, stockStateOf } from '../utils/stock-figures.ts';
import { productDbError } from '../utils/product-form.ts';
import { DrawerLedger } from './drawer-ledger.tsx';
import { DrawerLevels } from './drawer-levels.tsx';
import { DrawerReservations } from './drawer-reservations.tsx';
import { ProductForm } from './product-form.tsx';
import { StateBadge, StockStateBadge } from './stock-badges.tsx';

export interface InventoryOutletContext {
  vendorId: string;
  snapshot: StockSnapshot | undefined;
  viewer: Viewer;
}

const tabClass =
  'rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 data-selected:bg-indigo-50 data-selected:text-indigo-700';

/** Which vendor a product belongs to, when it is not in the open vendor's snapshot (RLS decides what is visible). */
function useProductVendor(productId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...inventoryKeys.all, 'product-vendor', productId],
    queryFn: async ({ signal }) => {
      const { data, error } = await supabase.from('products').select('vendor_id').eq('id', productId).abortSignal(signal).maybeSingle();
      if (error) throw error;
      return data?.vendor_id ?? null;
    },
    enabled,
  });
}

function EditProduct({ vendorId, product }: { vendorId: string; product: StockProduct }) {
  const update = useUpdateProduct();
  return (
    <ProductForm
      key={product.updated_at}
      withSku={false}
      submitLabel="Save changes"
      pending={update.isPending}
      serverErrors={update.error ? productDbError(update.error) : {}}
      initial={{
        sku: product.sku,
        name: product.name,
        description: product.description,
        price: product.price.toFixed(2),
        lowStockThreshold: String(product.low_stock_threshold),
        active: product.active,
      }}
      onSubmit={(draft) =>
        update.mutate(
          {
            vendorId,
            productId: product.id,
            changes: {
              name: draft.name.trim(),
              description: draft.description,
              price: Number(draft.price),
              low_stock_threshold: Number(draft.lowStockThreshold),
              active: draft.active,
            },
          },
          { onSuccess: () => toast.success(`${draft.name.trim()} saved`) },
        )
      }
    />
  );
}

/** `/inventory/p/:productId`: levels per location, active reservations, the ledger and the edit form. */
export function ProductDrawer() {
  const { productId = '' } = useParams();
  const { vendorId, snapshot, viewer } = useOutletContext<InventoryOutletContext>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const now = useNow(1000);
  const product = snapshot?.products[productId];
  const lookup = useProductVendor(productId, Boolean(snapshot && !product));
  const close = () => void navigate({ pathname: '/inventory', search: params.toString() });

  // A product of another vendor the user also belongs to: open that vendor's inventory.
  const otherVendor = lookup.data && lookup.data !== vendorId && viewer.memberships.some((m) => m.vendorId === lookup.data) ? lookup.data : undefined;
  useEffect(() => {
    if (!otherVendor) return;
    const next = new URLSearchParams(params);
    next.set('vendor', otherVendor);
    void navigate({ pathname: `/inventory/p/${productId}`, search: next.toString() }, { replace: true });
  }, [otherVendor, params, productId, navigate]);

  if (!snapshot || (!product && (lookup.isPending || otherVendor))) {
    return (
      <SlideOver open onClose={close} title="Product">
        <PageSpinner inline label="Loading the product" />
      </SlideOver>
    );
  }
  if (!product) {
    return (
      <SlideOver open onClose={close} title="Product not found">
        <div className="space-y-3 text-sm text-slate-600" data-testid="product-not-found">
          <p>There is no product with this address in your inventory. It may belong to another vendor, or the link is mistyped.</p>
          <Link to={{ pathname: '/inventory', search: params.toString() }} className="font-semibold text-indigo-700 hover:text-indigo-600">
            Back to the inventory
          </Link>
        </div>
      </SlideOver>
    );
  }

  const total = figuresOf(product, snapshot.locations);
  return (
    <SlideOver
      open
      onClose={close}
      title={product.name}
      description={
        <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <span className="font-mono text-xs">{product.sku}</span>
          <span>{formatMoney(product.price)}</span>
          <span className="tabular-nums">{formatCount(total.available)} available</span>
          {product.active ? <StockStateBadge state={stockStateOf(total.available, product.low_stock_threshold)} threshold={product.low_stock_threshold} /> : <StateBadge state="inactive" />}
        </span>
      }
    >
      <TabGroup>
        <TabList className="flex gap-1 border-b border-slate-200 pb-2">
          <Tab className={tabClass}>Stock</Tab>
          <Tab className={tabClass}>History</Tab>
          <Tab className={tabClass}>Details</Tab>
        </TabList>
        <TabPanels className="pt-4">
          <TabPanel className="space-y-6">
            <DrawerLevels product={product} locations={snapshot.locations} now={now} />
            <section aria-labelledby="held-title">
              <h3 id="held-title" className="mb-2 text-sm font-semibold text-slate-900">
                Held by shoppers
              </h3>
              <DrawerReservations vendorId={vendorId} productId={product.id} locations={snapshot.locations} now={now} />
            </section>
          </TabPanel>
          <TabPanel>
            <DrawerLedger vendorId={vendorId} productId={product.id} userId={viewer.userId} locations={snapshot.locations} now={now} />
          </TabPanel>
          <TabPanel>
            <EditProduct vendorId={vendorId} product={product} />
          </TabPanel>
        </TabPanels>
      </TabGroup>
    </SlideOver>
  );
}
