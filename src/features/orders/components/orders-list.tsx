import { Link } from 'react-router';
import { Receipt } from 'lucide-react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { orderPath } from '@/lib/paths.ts';
import { useNow } from '@/lib/use-now.ts';
import { useOrders } from '../api/get-orders.ts';
import { shortId } from '../utils/short-id.ts';

const cell = 'px-3 py-2.5 text-sm';

function OrdersSkeleton() {
  return (
    <div role="status" className="animate-pulse overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-900/5">
      <span className="sr-only">Loading your orders</span>
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="flex items-center gap-6 border-b border-slate-100 px-4 py-3.5 last:border-0" aria-hidden="true">
          <div className="h-3 w-24 rounded bg-slate-200" />
          <div className="h-3 flex-1 rounded bg-slate-100" />
          <div className="h-3 w-16 rounded bg-slate-100" />
          <div className="h-3 w-20 rounded bg-slate-200" />
        </div>
      ))}
    </div>
  );
}

/** The orders the user placed, newest first, 25 at a time. */
export function OrdersList({ customerId }: { customerId: string }) {
  const orders = useOrders(customerId);
  const now = useNow(30_000);
  const rows = orders.data?.pages.flat() ?? [];

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Orders</h1>
        <p className="mt-1 text-sm text-slate-600">Everything you have ordered, newest first.</p>
      </div>
      {orders.isRefetchError && (
        <p role="status" className="text-sm text-amber-700">
          Your orders could not be refreshed ({orders.error.message}); showing what was loaded before.
        </p>
      )}
      {orders.isPending ? (
        <OrdersSkeleton />
      ) : !orders.data ? (
        <Alert tone="error" title="Your orders could not be loaded">
          <p>{orders.error?.message}</p>
          <Button variant="secondary" className="mt-3" loading={orders.isFetching} onClick={() => void orders.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : rows.length === 0 ? (
        <div className="rounded-xl border border-dashed border-slate-300 px-6 py-14 text-center">
          <Receipt className="mx-auto size-8 text-slate-400" aria-hidden="true" />
          <p className="mt-3 text-sm font-semibold text-slate-900">No orders yet</p>
          <p className="mt-1 text-sm text-slate-600">Orders you place from your cart appear here.</p>
          <Link to="/shop" className="mt-4 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
            Browse the shop
          </Link>
        </div>
      ) : (
        <>
          <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-900/5">
            <table className="w-full text-left">
              <caption className="sr-only">Your orders</caption>
              <thead className="border-b border-slate-200 text-xs font-semibold text-slate-600 uppercase">
                <tr>
                  <th scope="col" className={cell}>
                    Order
                  </th>
                  <th scope="col" className={cell}>
                    Placed
                  </th>
                  <th scope="col" className={`${cell} hidden sm:table-cell`}>
                    Vendor
                  </th>
                  <th scope="col" className={`${cell} hidden text-right sm:table-cell`}>
                    Items
                  </th>
                  <th scope="col" className={`${cell} text-right`}>
                    Total
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((order) => (
                  <tr key={order.id} className="hover:bg-slate-50" data-testid="order-row">
                    <td className={cell}>
                      <Link to={orderPath(order.id)} className="font-mono font-semibold text-indigo-700 hover:text-indigo-600" aria-label={`Order ${shortId(order.id)} from ${order.vendor_name}`}>
                        {shortId(order.id)}
                      </Link>
                      <p className="text-xs text-slate-600 sm:hidden">{order.vendor_name}</p>
                    </td>
                    <td className={`${cell} text-slate-600`}>
                      <RelativeTime at={order.created_at} now={now} />
                    </td>
                    <td className={`${cell} hidden text-slate-900 sm:table-cell`}>{order.vendor_name}</td>
                    <td className={`${cell} hidden text-right text-slate-600 tabular-nums sm:table-cell`}>{formatCount(order.item_count)}</td>
                    <td className={`${cell} text-right font-semibold text-slate-900 tabular-nums`}>{formatMoney(order.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {orders.hasNextPage && (
            <Button variant="secondary" loading={orders.isFetchingNextPage} onClick={() => void orders.fetchNextPage()}>
              Show older orders
            </Button>
          )}
        </>
      )}
    </div>
  );
}
