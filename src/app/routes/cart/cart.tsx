import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { RequireArea } from '@/features/auth/components/require-area.tsx';
import { Cart } from '@/features/cart/components/cart.tsx';
import { orderKeys } from '@/features/orders/api/keys.ts';
import { orderPath } from '@/lib/paths.ts';

export function CartRoute() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <RequireArea area="cart">
      {(viewer) => (
        <div className="mx-auto max-w-5xl">
          <Cart
            userId={viewer.userId}
            onOrderPlaced={(orderId) => {
              void queryClient.invalidateQueries({ queryKey: orderKeys.lists() });
              void navigate(orderPath(orderId));
            }}
          />
        </div>
      )}
    </RequireArea>
  );
}
