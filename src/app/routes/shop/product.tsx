import { useParams } from 'react-router';
import { useViewer } from '@/features/auth/api/use-viewer.ts';
import { AddToCartForm } from '@/features/cart/components/add-to-cart-form.tsx';
import { ProductDetails } from '@/features/catalog/components/product-details.tsx';

/** A product's page, open to everyone; adding to the cart asks a signed-out visitor to sign in first. */
export function ProductRoute() {
  const { productId = '' } = useParams();
  const signedIn = useViewer().status === 'signed-in';
  return (
    <div className="mx-auto max-w-6xl">
      <ProductDetails
        productId={productId}
        purchase={(product) => (
          <AddToCartForm product={{ productId: product.product_id, name: product.name }} available={product.available} signedIn={signedIn} />
        )}
      />
    </div>
  );
}
