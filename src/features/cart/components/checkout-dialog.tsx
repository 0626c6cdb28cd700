import { toast } from '@/lib/toast.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';
import { cn } from '@/lib/cn.ts';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { useCheckout } from '../api/checkout.ts';
import { useReserveStock } from '../api/reserve-stock.ts';
import { useIntentKeys } from '../hooks/use-intent-keys.ts';
import { cartErrorMessage, lapsed, reservationIn } from '../utils/cart-errors.ts';
import { holdState, type VendorCart } from '../utils/cart-lines.ts';
import { CountdownPill } from './countdown-pill.tsx';

/**
 * Review and place the order of one vendor's held lines. One idempotency key per attempt (the
 * same held lines): a double click or a retry places one order. A hold that lapsed is named,
 * with the way to hold it again.
 */
export function CheckoutDialog({
  group,
  now,
  open,
  onClose,
  onOrderPlaced,
}: {
  group: VendorCart;
  now: number;
  open: boolean;
  onClose: () => void;
  onOrderPlaced: (orderId: string) => void;
}) {
  const checkout = useCheckout((order) => {
    // One toast per order, however many requests (a double click, a retry) returned it.
    toast.success(`Order placed with ${group.vendorName}`, { id: `order-${order.id}` });
    onOrderPlaced(order.id);
  });
  const reserve = useReserveStock();
  const keys = useIntentKeys();
  const ids = group.held.map((line) => line.reservation_id).sort();
  const failedLine = checkout.error ? group.lines.find((line) => line.reservation_id === reservationIn(checkout.error!)) : undefined;
  const lapsedLines = group.lines.filter((line) => holdState(line, now) === 'expired');

  const placeOrder = () => {
    const intent = `checkout:${ids.join(',')}`;
    const idempotencyKey = keys.keyFor(intent);
    checkout.mutate(
      { reservationIds: ids, idempotencyKey },
      {
        onSuccess: () => keys.succeeded(intent, idempotencyKey),
      },
    );
  };

  const holdAgain = (line: VendorCart['lines'][number]) => {
    const intent = `retry:${line.reservation_id}`;
    const idempotencyKey = keys.keyFor(intent);
    reserve.mutate(
      { productId: line.product_id, quantity: line.quantity, idempotencyKey },
      {
        onSuccess: () => {
          keys.succeeded(intent, idempotencyKey);
          checkout.reset();
          toast.success(`${line.quantity} × ${line.product_name} held again`);
        },
        onError: (error) => toast.error(cartErrorMessage(error, line.product_name)),
      },
    );
  };

  return (
    <Modal
      open={open}
      onClose={checkout.isPending ? () => undefined : onClose}
      title={`Place your order with ${group.vendorName}`}
      description="These items are held for you until their timers run out."
      width="max-w-lg"
    >
      <ul className="divide-y divide-slate-100 border-y border-slate-100">
        {group.lines.map((line) => {
          const expired = holdState(line, now) === 'expired';
          return (
            <li key={line.reservation_id} className={cn('flex items-center gap-3 py-3 text-sm', expired && 'text-slate-500')}>
              <div className="min-w-0 flex-1">
                <p className={cn('truncate font-medium', expired ? 'text-slate-500' : 'text-slate-900')}>{line.product_name}</p>
                <p className="text-slate-600 tabular-nums">
                  {formatCount(line.quantity)} × {formatMoney(line.unit_price)}
                </p>
              </div>
              {expired ? (
                <Button
                  variant="secondary"
                  className="px-2.5 py-1.5 text-xs"
                  loading={reserve.isPending}
                  disabled={!line.for_sale}
                  onClick={() => holdAgain(line)}
                >
                  Hold again
                </Button>
              ) : (
                <CountdownPill line={line} now={now} />
              )}
              <p className={cn('w-20 text-right font-semibold tabular-nums', expired && 'line-through')}>{formatMoney(line.quantity * line.unit_price)}</p>
            </li>
          );
        })}
      </ul>

      <div className="mt-4 flex items-baseline justify-between">
        <p className="text-sm text-slate-600">
          Total for {formatCount(group.itemCount)} {group.itemCount === 1 ? 'item' : 'items'}
        </p>
        <p className="text-lg font-semibold text-slate-900 tabular-nums" data-testid="checkout-total">
          {formatMoney(group.subtotal)}
        </p>
      </div>
      {lapsedLines.length > 0 && !checkout.error && (
        <p className="mt-2 text-sm text-slate-600">
          {lapsedLines.length === 1 ? '1 hold' : `${lapsedLines.length} holds`} lapsed and {lapsedLines.length === 1 ? 'is' : 'are'} not in this order.
        </p>
      )}

      {checkout.error && (
        <div className="mt-4">
          <Alert tone="error" title="The order was not placed">
            <p>{cartErrorMessage(checkout.error, failedLine?.product_name)}</p>
            {failedLine && lapsed(checkout.error) && (
              <Button variant="secondary" className="mt-3" loading={reserve.isPending} onClick={() => holdAgain(failedLine)}>
                Hold {failedLine.product_name} again
              </Button>
            )}
            <p className="mt-2 text-xs">
              Reference for support: <span className="font-mono select-all">{checkout.error.requestId}</span>
            </p>
          </Alert>
        </div>
      )}

      <div className="mt-6 flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onClose} disabled={checkout.isPending}>
          Keep shopping
        </Button>
        <Button onClick={placeOrder} loading={checkout.isPending} disabled={ids.length === 0}>
          Place order · {formatMoney(group.subtotal)}
        </Button>
      </div>
    </Modal>
  );
}
