import { Link } from 'react-router';
import { Receipt } from 'lucide-react';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState, LoadError, StaleHint } from '@/components/ui/query-states.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { cn } from '@/lib/cn.ts';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { orderPath } from '@/lib/paths.ts';
import { useNow } from '@/lib/use-now.ts';
import { useOrders } from '../api/get-orders.ts';
import { shortId } from '../utils/short-id.ts';
import { cellClass, DataTable, type Column } from './data-table.tsx';

const columns: Column[] = [
  { label: 'Order' },
  { label: 'Placed' },
  { label: 'Vendor', wide: true },
  { label: 'Items', align: 'right', wide: true },
  { label: 'Total', align: 'right' },
];

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
      {orders.isRefetchError && <StaleHint>Your orders could not be refreshed ({orders.error.message}); showing what was loaded before.</StaleHint>}
      {orders.isPending ? (
        <OrdersSkeleton />
      ) : !orders.data ? (
        <LoadError title="Your orders could not be loaded" error={orders.error} retrying={orders.isFetching} onRetry={() => void orders.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState icon={<Receipt className="mx-auto size-8 text-slate-400" aria-hidden="true" />} title="No orders yet">
          <p className="mt-1 text-sm text-slate-600">Orders you place from your cart appear here.</p>
          <Link to="/shop" className="mt-4 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
            Browse the shop
          </Link>
        </EmptyState>
      ) : (
        <>
          <DataTable caption="Your orders" columns={columns}>
            {rows.map((order) => (
              <tr key={order.id} className="hover:bg-slate-50" data-testid="order-row">
                <td className={cellClass()}>
                  <Link to={orderPath(order.id)} className="font-mono font-semibold text-indigo-700 hover:text-indigo-600" aria-label={`Order ${shortId(order.id)} from ${order.vendor_name}`}>
                    {shortId(order.id)}
                  </Link>
                  <p className="text-xs text-slate-600 sm:hidden">{order.vendor_name}</p>
                </td>
                <td className={cn(cellClass(), 'text-slate-600')}>
                  <RelativeTime at={order.created_at} now={now} />
                </td>
                <td className={cn(cellClass({ wide: true }), 'text-slate-900')}>{order.vendor_name}</td>
                <td className={cn(cellClass({ align: 'right', wide: true }), 'text-slate-600 tabular-nums')}>{formatCount(order.item_count)}</td>
                <td className={cn(cellClass({ align: 'right' }), 'font-semibold text-slate-900 tabular-nums')}>{formatMoney(order.total)}</td>
              </tr>
            ))}
          </DataTable>
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
