import { useId, useState } from 'react';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { Button } from '@/components/ui/button.tsx';
import type { VendorCart as VendorCartData } from '../utils/cart-lines.ts';
import { CartLineItem } from './cart-line-item.tsx';
import { CheckoutDialog } from './checkout-dialog.tsx';

/** One vendor's lines and its own checkout (an order covers one vendor). */
export function VendorCart({ group, now, onOrderPlaced }: { group: VendorCartData; now: number; onOrderPlaced: (orderId: string) => void }) {
  const headingId = useId();
  const [checkingOut, setCheckingOut] = useState(false);
  return (
    <section aria-labelledby={headingId} className="rounded-xl bg-white px-4 shadow-sm ring-1 ring-slate-900/5 sm:px-6">
      <div className="flex flex-col gap-3 border-b border-slate-100 py-4 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h2 id={headingId} className="text-lg font-semibold tracking-tight text-slate-900">
            {group.vendorName}
          </h2>
          <p className="text-sm text-slate-600 tabular-nums">
            {group.itemCount === 0 ? 'Nothing held' : `${formatCount(group.itemCount)} ${group.itemCount === 1 ? 'item' : 'items'} held`} · subtotal{' '}
            <span className="font-semibold text-slate-900">{formatMoney(group.subtotal)}</span>
          </p>
        </div>
        <Button onClick={() => setCheckingOut(true)} disabled={group.held.length === 0}>
          Checkout {group.vendorName}
        </Button>
      </div>
      <ul className="divide-y divide-slate-100">
        {group.lines.map((line) => (
          <li key={line.reservation_id}>
            <CartLineItem line={line} now={now} />
          </li>
        ))}
      </ul>
      {checkingOut && (
        <CheckoutDialog
          group={group}
          now={now}
          open={checkingOut}
          onClose={() => setCheckingOut(false)}
          onOrderPlaced={(orderId) => {
            setCheckingOut(false);
            onOrderPlaced(orderId);
          }}
        />
      )}
    </section>
  );
}
