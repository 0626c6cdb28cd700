import { ProductDrawer } from '@/features/inventory/components/product-drawer.tsx';

/** `/inventory/p/:productId`, deep-linkable, over the grid. */
export function InventoryProductRoute() {
  return <ProductDrawer />;
}
