import { RequireArea } from '@/features/auth/components/require-area.tsx';
import { OrdersList } from '@/features/orders/components/orders-list.tsx';

export function OrdersRoute() {
  return (
    <RequireArea area="orders">
      {(viewer) => (
        <div className="mx-auto max-w-5xl">
          <OrdersList customerId={viewer.userId} />
        </div>
      )}
    </RequireArea>
  );
}
