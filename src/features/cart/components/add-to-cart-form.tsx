import { Link } from 'react-router';
import { ShoppingCart } from 'lucide-react';
import { Button } from '@/components/ui/button.tsx';
import { formatCount } from '@/lib/format.ts';
import { cartPath } from '@/lib/paths.ts';
import { useNow } from '@/lib/use-now.ts';
import { useCart } from '../api/get-cart.ts';
import { useAddToCart, type AddToCartTarget } from '../hooks/use-add-to-cart.ts';
import { useQuantityParam } from '../hooks/use-quantity-param.ts';
import { isHeld } from '../utils/cart-lines.ts';
import { QuantityStepper } from './quantity-stepper.tsx';

/** What the shopper already holds of this product, with the way to the cart. */
function AlreadyHeld({ productId }: { productId: string }) {
  const cart = useCart();
  const now = useNow(5000);
  const held = (cart.data ?? []).filter((line) => line.product_id === productId && isHeld(line, now)).reduce((n, line) => n + line.quantity, 0);
  if (held === 0) return null;
  return (
    <p className="text-sm text-slate-600">
      You hold <span className="font-semibold text-slate-900 tabular-nums">{formatCount(held)}</span> in your{' '}
      <Link to={cartPath} className="font-semibold text-indigo-700 hover:text-indigo-600">
        cart
      </Link>
      .
    </p>
  );
}

/**
 * The product page's quantity picker and "Add to cart". The quantity is bounded by what is
 * available now and lives in the URL; adding holds the stock for the shopper.
 */
export function AddToCartForm({ product, available, signedIn }: { product: AddToCartTarget; available: number; signedIn: boolean }) {
  const [requested, setRequested] = useQuantityParam();
  const { add, isPending, error, reset } = useAddToCart(product, signedIn);
  const soldOut = available <= 0;
  const quantity = soldOut ? requested : Math.min(requested, available);
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (!soldOut) add(quantity);
      }}
    >
      <QuantityStepper
        value={quantity}
        max={available}
        disabled={soldOut}
        onChange={(next) => {
          reset();
          setRequested(next);
        }}
      />
      {!soldOut && requested > available && (
        <p className="text-sm text-amber-800" role="status">
          Only {formatCount(available)} available now.
        </p>
      )}
      <Button type="submit" className="w-full" loading={isPending} disabled={soldOut}>
        <ShoppingCart className="size-4" aria-hidden="true" />
        {soldOut ? 'Sold out' : 'Add to cart'}
      </Button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {signedIn ? <AlreadyHeld productId={product.productId} /> : <p className="text-sm text-slate-600">Sign in to hold it in your cart while you check out.</p>}
      <p className="text-xs text-slate-500">Adding to your cart holds the stock for you for a limited time; the cart shows how long.</p>
    </form>
  );
}
