import { useEffect, useMemo, useRef } from 'react';
import { Link } from 'react-router';
import { ShoppingCart } from 'lucide-react';
import { EmptyState, LoadError, StaleHint } from '@/components/ui/query-states.tsx';
import { useNow } from '@/lib/use-now.ts';
import { useAnnouncer } from '@/stores/announcer.ts';
import { useDismissedHolds } from '@/stores/dismissed-holds.ts';
import { useCart } from '../api/get-cart.ts';
import { useCartRealtime } from '../api/use-cart-realtime.ts';
import { groupByVendor, type HoldState } from '../utils/cart-lines.ts';
import { holdAnnouncements } from '../utils/hold-announcements.ts';
import { CartSkeleton } from './cart-skeleton.tsx';
import { VendorCart } from './vendor-cart.tsx';

/**
 * The shopper's cart: what the server holds for them, by vendor, each line counting down to
 * the end of its hold; live, and checked out one vendor at a time.
 */
export function Cart({ userId, onOrderPlaced }: { userId: string; onOrderPlaced: (orderId: string) => void }) {
  const cart = useCart();
  const now = useNow(1000);
  const dismissed = useDismissedHolds((s) => s.ids);
  const lines = useMemo(() => (cart.data ?? []).filter((line) => !dismissed.has(line.reservation_id)), [cart.data, dismissed]);
  const groups = groupByVendor(lines, now);
  const vendorIds = useMemo(() => [...new Set(lines.map((line) => line.vendor_id))], [lines]);
  useCartRealtime(userId, vendorIds);
  // The countdowns tick every second silently; a minute left and expiry are said once.
  const holdStates = useRef<Map<string, HoldState>>(new Map());
  useEffect(() => {
    const { states, messages } = holdAnnouncements(holdStates.current, lines, now);
    holdStates.current = states;
    for (const message of messages) useAnnouncer.getState().announce(message);
  }, [lines, now]);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Cart</h1>
        <p className="mt-1 text-sm text-slate-600">Each item is held for you until its timer runs out. Check out one vendor at a time.</p>
      </div>

      {cart.isRefetchError && <StaleHint>Your cart could not be refreshed ({cart.error.message}); live updates still apply.</StaleHint>}

      {cart.isPending ? (
        <CartSkeleton />
      ) : !cart.data ? (
        <LoadError title="Your cart could not be loaded" error={cart.error} retrying={cart.isFetching} onRetry={() => void cart.refetch()} />
      ) : groups.length === 0 ? (
        <EmptyState icon={<ShoppingCart className="mx-auto size-8 text-slate-400" aria-hidden="true" />} title="Your cart is empty">
          <p className="mt-1 text-sm text-slate-600">Add something from the shop: it is held for you while you check out.</p>
          <Link to="/shop" className="mt-4 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
            Browse the shop
          </Link>
        </EmptyState>
      ) : (
        <div className="space-y-6">
          {groups.map((group) => (
            <VendorCart key={group.vendorId} group={group} now={now} onOrderPlaced={onOrderPlaced} />
          ))}
        </div>
      )}
    </div>
  );
}
