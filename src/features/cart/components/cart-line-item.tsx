import { useId } from 'react';
import { Link } from 'react-router';
import { RotateCcw, TimerReset, Trash2, X } from 'lucide-react';
import type { UseMutationResult } from '@tanstack/react-query';
import { toast } from '@/lib/toast.ts';
import { Button } from '@/components/ui/button.tsx';
import { cn } from '@/lib/cn.ts';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { productPath } from '@/lib/paths.ts';
import { useDismissedHolds } from '@/stores/dismissed-holds.ts';
import { useExtendReservation } from '../api/extend-reservation.ts';
import { useReleaseReservation } from '../api/release-reservation.ts';
import { useReserveStock } from '../api/reserve-stock.ts';
import { useSetReservationQuantity } from '../api/set-reservation-quantity.ts';
import { useIntentKeys } from '../hooks/use-intent-keys.ts';
import { cartErrorMessage } from '../utils/cart-errors.ts';
import { formatHoldTime, holdState, maxQuantity, type CartLine } from '../utils/cart-lines.ts';
import { CountdownPill } from './countdown-pill.tsx';

/** The most a quantity menu offers. */
const MENU_LIMIT = 50;

type CartMutation<TInput> = UseMutationResult<unknown, Error, TInput>;

/**
 * Runs a line's action under its intent's idempotency key (a double click or a retry applies it
 * once); says how it went in a toast.
 */
function useLineAction(line: CartLine) {
  const keys = useIntentKeys();
  return <TInput,>(mutation: CartMutation<TInput>, intent: string, input: (idempotencyKey: string) => TInput, success: string) => {
    const idempotencyKey = keys.keyFor(intent);
    mutation.mutate(input(idempotencyKey), {
      onSuccess: () => {
        keys.succeeded(intent, idempotencyKey);
        toast.success(success);
      },
      onError: (error) => toast.error(cartErrorMessage(error, line.product_name)),
    });
  };
}

/**
 * One hold in the cart: the product, its countdown, quantity, price and subtotal, and what can
 * be done with it: change the quantity, keep holding, remove; once lapsed, try again.
 */
export function CartLineItem({ line, now }: { line: CartLine; now: number }) {
  const titleId = useId();
  const state = holdState(line, now);
  const expired = state === 'expired';
  const release = useReleaseReservation();
  const setQuantity = useSetReservationQuantity();
  const extend = useExtendReservation();
  const reserve = useReserveStock();
  const dismiss = useDismissedHolds((s) => s.holdDismissed);
  const act = useLineAction(line);
  const busy = release.isPending || setQuantity.isPending || extend.isPending || reserve.isPending;
  const id = line.reservation_id;
  const options = Array.from({ length: Math.min(maxQuantity(line), MENU_LIMIT) }, (_, i) => i + 1);

  return (
    <article
      aria-labelledby={titleId}
      data-testid="cart-line"
      data-state={state}
      className={cn('flex flex-col gap-3 py-4 sm:flex-row sm:items-center sm:gap-6', expired && 'text-slate-500')}
    >
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <h3 id={titleId} className={cn('text-sm font-semibold', expired ? 'text-slate-500' : 'text-slate-900')}>
            <Link to={productPath(line.product_id)} className="hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
              {line.product_name}
            </Link>
          </h3>
          <CountdownPill line={line} now={now} />
        </div>
        <p className="mt-1 text-sm text-slate-600">
          <span className="font-mono text-xs">{line.sku}</span> · {formatMoney(line.unit_price)} each
          {!expired && line.for_sale && line.available > 0 && <> · {formatCount(line.available)} more available</>}
        </p>
        {!line.for_sale && <p className="mt-1 text-sm text-amber-800">The vendor no longer lists this product.</p>}
        {expired && (
          <p className="mt-1 text-sm font-medium text-slate-700">
            Hold expired — stock released
          </p>
        )}
        {state === 'ending' && line.extensions_left === 0 && <p className="mt-1 text-sm text-amber-800">This hold cannot be extended again.</p>}
      </div>

      <div className="flex items-center justify-between gap-4 sm:justify-end">
        {expired ? (
          <p className="text-sm tabular-nums">Qty {formatCount(line.quantity)}</p>
        ) : (
          <label className="flex items-center gap-2 text-sm text-slate-600">
            <span className="sr-only sm:not-sr-only">Qty</span>
            <select
              aria-label={`Quantity of ${line.product_name}`}
              value={line.quantity}
              disabled={busy}
              onChange={(event) => {
                const quantity = Number(event.target.value);
                act(setQuantity, `quantity:${id}:${quantity}`, (idempotencyKey) => ({ reservationId: id, quantity, idempotencyKey }), `Now holding ${quantity} × ${line.product_name}`);
              }}
              className="rounded-lg border-0 bg-white py-1.5 pr-8 pl-3 text-sm font-semibold text-slate-900 tabular-nums shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 disabled:opacity-60"
            >
              {options.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        <p className={cn('w-24 text-right text-sm font-semibold tabular-nums', expired ? 'text-slate-500 line-through' : 'text-slate-900')} data-testid="line-subtotal">
          {formatMoney(line.quantity * line.unit_price)}
        </p>
      </div>

      <div className="flex flex-wrap gap-2 sm:w-56 sm:justify-end">
        {expired ? (
          <>
            <Button
              variant="secondary"
              className="px-2.5 py-1.5 text-xs"
              loading={reserve.isPending}
              disabled={!line.for_sale}
              onClick={() =>
                act(reserve, `retry:${id}`, (idempotencyKey) => ({ productId: line.product_id, quantity: line.quantity, idempotencyKey }), `${line.quantity} × ${line.product_name} held again`)
              }
            >
              {!reserve.isPending && <RotateCcw className="size-3.5" aria-hidden="true" />}
              Try again
            </Button>
            <Button variant="ghost" className="px-2.5 py-1.5 text-xs" onClick={() => dismiss(id)} aria-label={`Dismiss ${line.product_name}`}>
              <X className="size-3.5" aria-hidden="true" />
              Dismiss
            </Button>
          </>
        ) : (
          <>
            {line.extensions_left > 0 && (
              <Button
                variant="secondary"
                className="px-2.5 py-1.5 text-xs"
                loading={extend.isPending}
                disabled={busy}
                title={`Hold it ${formatHoldTime(line.hold_seconds)} from now (${line.extensions_left} ${line.extensions_left === 1 ? 'extension' : 'extensions'} left)`}
                aria-label={`Keep holding ${line.product_name}`}
                onClick={() => act(extend, `extend:${id}:${line.version}`, (idempotencyKey) => ({ reservationId: id, idempotencyKey }), `Holding ${line.product_name} longer`)}
              >
                {!extend.isPending && <TimerReset className="size-3.5" aria-hidden="true" />}
                Keep holding
              </Button>
            )}
            <Button
              variant="ghost"
              className="px-2.5 py-1.5 text-xs"
              loading={release.isPending}
              disabled={busy}
              aria-label={`Remove ${line.product_name}`}
              onClick={() => act(release, `release:${id}`, (idempotencyKey) => ({ reservationId: id, idempotencyKey }), `Removed ${line.product_name}; its stock is back on sale`)}
            >
              {!release.isPending && <Trash2 className="size-3.5" aria-hidden="true" />}
              Remove
            </Button>
          </>
        )}
      </div>
    </article>
  );
}
