import { Plus } from 'lucide-react';
import { Button } from '@/components/ui/button.tsx';
import { useAddToCart, type AddToCartTarget } from '../hooks/use-add-to-cart.ts';

/** The shop card's "Add": holds one unit. Errors come back as a toast, since a card has no room to explain. */
export function QuickAddButton({ product, available, signedIn }: { product: AddToCartTarget; available: number; signedIn: boolean }) {
  const { add, isPending } = useAddToCart(product, signedIn, { toastErrors: true });
  return (
    <Button
      variant="secondary"
      className="px-2.5 py-1.5 text-xs"
      loading={isPending}
      disabled={available <= 0}
      aria-label={`Add ${product.name} to cart`}
      onClick={() => add(1)}
    >
      {!isPending && <Plus className="size-3.5" aria-hidden="true" />}
      Add
    </Button>
  );
}
