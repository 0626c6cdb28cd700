import { useNavigate } from 'react-router';
import { toast } from '@/lib/toast.ts';
import { cartPath, productPath } from '@/lib/paths.ts';
import { useReserveStock } from '../api/reserve-stock.ts';
import { cartErrorMessage } from '../utils/cart-errors.ts';
import { useIntentKeys } from './use-intent-keys.ts';

export interface AddToCartTarget {
  productId: string;
  name: string;
}

/**
 * "Add to cart": holds the quantity for the signed-in shopper, with one idempotency key per
 * intent (a double click or a retry holds stock once). A signed-out visitor is sent to sign in
 * and brought back to the product with the quantity they chose.
 */
export function useAddToCart({ productId, name }: AddToCartTarget, signedIn: boolean, { toastErrors = false } = {}) {
  const reserve = useReserveStock();
  const keys = useIntentKeys();
  const navigate = useNavigate();

  const add = (quantity: number) => {
    if (!signedIn) {
      toast.info('Sign in to hold items in your cart. You will come back to this product.');
      void navigate('/sign-in', { state: { from: productPath(productId, quantity) } });
      return;
    }
    const intent = `reserve:${productId}:${quantity}`;
    const idempotencyKey = keys.keyFor(intent);
    reserve.mutate(
      { productId, quantity, idempotencyKey },
      {
        onSuccess: () => {
          keys.succeeded(intent, idempotencyKey);
          toast.success(`${quantity} × ${name} held in your cart`, { action: { label: 'View cart', onClick: () => void navigate(cartPath) } });
        },
        onError: (error) => {
          if (toastErrors) toast.error(cartErrorMessage(error, name));
        },
      },
    );
  };

  return { add, isPending: reserve.isPending, error: reserve.error ? cartErrorMessage(reserve.error, name) : undefined, reset: reserve.reset };
}
