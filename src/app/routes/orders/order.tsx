import { useParams } from 'react-router';
import { RequireArea } from '@/features/auth/components/require-area.tsx';
import { OrderDetails } from '@/features/orders/components/order-details.tsx';

export function OrderRoute() {
  const { orderId = '' } = useParams();
  return (
    <RequireArea area="orders">
      <div className="mx-auto max-w-4xl">
        <OrderDetails orderId={orderId} />
      </div>
    </RequireArea>
  );
}
