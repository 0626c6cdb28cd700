import { useCallback } from 'react';
import { useViewer } from '@/features/auth/api/use-viewer.ts';
import { QuickAddButton } from '@/features/cart/components/quick-add-button.tsx';
import type { CatalogProduct } from '@/features/catalog/api/get-products.ts';
import { Catalog } from '@/features/catalog/components/catalog.tsx';

/** The public catalog: open to everyone, signed in or not; each card adds one to the cart. */
export function ShopRoute() {
  const signedIn = useViewer().status === 'signed-in';
  // Stable, so the shop's rows do not render again while it scrolls.
  const quickAdd = useCallback(
    (product: CatalogProduct) => (
      <QuickAddButton product={{ productId: product.product_id, name: product.name }} available={product.available} signedIn={signedIn} />
    ),
    [signedIn],
  );
  return (
    <div className="mx-auto max-w-6xl">
      <Catalog productAction={quickAdd} />
    </div>
  );
}
