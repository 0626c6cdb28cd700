import { useViewer } from '@/features/auth/api/use-viewer.ts';
import { QuickAddButton } from '@/features/cart/components/quick-add-button.tsx';
import { Catalog } from '@/features/catalog/components/catalog.tsx';

/** The public catalog: open to everyone, signed in or not; each card adds one to the cart. */
export function ShopRoute() {
  const signedIn = useViewer().status === 'signed-in';
  return (
    <div className="mx-auto max-w-6xl">
      <Catalog
        productAction={(product) => (
          <QuickAddButton product={{ productId: product.product_id, name: product.name }} available={product.available} signedIn={signedIn} />
        )}
      />
    </div>
  );
}
