import { Link } from 'react-router';
import { CheckCircle2 } from 'lucide-react';
import { Breadcrumb } from '@/components/ui/breadcrumb.tsx';
import { CopyButton } from '@/components/ui/copy-button.tsx';
import { EmptyState, LoadError } from '@/components/ui/query-states.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { cn } from '@/lib/cn.ts';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { productPath } from '@/lib/paths.ts';
import { useNow } from '@/lib/use-now.ts';
import { useOrder, type Order } from '../api/get-order.ts';
import { shortId } from '../utils/short-id.ts';
import { cellClass, DataTable, type Column } from './data-table.tsx';

function Identifier({ label, value }: { label: string; value: string | null }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 flex items-center gap-1">
        {value ? (
          <>
            <span className="truncate font-mono text-sm text-slate-900 select-all" data-testid={label.toLowerCase().replace(' ', '-')}>
              {value}
            </span>
            <CopyButton value={value} label={label.toLowerCase()} />
          </>
        ) : (
          <span className="text-sm text-slate-600">Not recorded</span>
        )}
      </dd>
    </div>
  );
}

const columns: Column[] = [{ label: 'Product' }, { label: 'Qty', align: 'right' }, { label: 'Price', align: 'right', wide: true }, { label: 'Total', align: 'right' }];

function Lines({ order }: { order: Order }) {
  return (
    <DataTable
      caption="Items in this order"
      columns={columns}
      footer={
        <tr>
          <th scope="row" colSpan={2} className={cn(cellClass(), 'font-semibold text-slate-900')}>
            Total · {formatCount(order.item_count)} {order.item_count === 1 ? 'item' : 'items'}
          </th>
          <td className={cellClass({ wide: true })} />
          <td className={cn(cellClass({ align: 'right' }), 'text-base font-semibold text-slate-900 tabular-nums')} data-testid="order-total">
            {formatMoney(order.total)}
          </td>
        </tr>
      }
    >
      {order.order_lines.map((line) => (
        <tr key={line.id} data-testid="order-line">
          <td className={cellClass()}>
            <Link to={productPath(line.product_id)} className="font-medium text-slate-900 hover:underline">
              {line.product_name}
            </Link>
            <p className="font-mono text-xs text-slate-600">{line.sku}</p>
          </td>
          <td className={cn(cellClass({ align: 'right' }), 'text-slate-900 tabular-nums')}>{formatCount(line.quantity)}</td>
          <td className={cn(cellClass({ align: 'right', wide: true }), 'text-slate-600 tabular-nums')}>{formatMoney(line.unit_price)}</td>
          <td className={cn(cellClass({ align: 'right' }), 'font-semibold text-slate-900 tabular-nums')}>{formatMoney(line.line_total ?? line.quantity * line.unit_price)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** One order: who sold it, when, its lines and total, and the ids support asks for. */
export function OrderDetails({ orderId }: { orderId: string }) {
  const order = useOrder(orderId);
  const now = useNow(30_000);
  const data = order.data;
  return (
    <div className="space-y-6">
      <Breadcrumb items={[{ label: 'Orders', to: '/orders' }, ...(data ? [{ label: shortId(data.id) }] : [])]} />
      {order.isPending ? (
        <div role="status" className="animate-pulse space-y-4">
          <span className="sr-only">Loading the order</span>
          <div className="h-7 w-72 rounded bg-slate-200" aria-hidden="true" />
          <div className="h-16 rounded-xl bg-white ring-1 ring-slate-900/5" aria-hidden="true" />
          <div className="h-48 rounded-xl bg-white ring-1 ring-slate-900/5" aria-hidden="true" />
        </div>
      ) : data === undefined ? (
        <LoadError title="The order could not be loaded" error={order.error} retrying={order.isFetching} onRetry={() => void order.refetch()} />
      ) : data === null ? (
        <EmptyState title="No such order">
          <p className="mt-1 text-sm text-slate-600">It is not one of your orders, or the address is mistyped.</p>
          <Link to="/orders" className="mt-4 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
            See your orders
          </Link>
        </EmptyState>
      ) : (
        <>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-end sm:justify-between">
            <div>
              <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Order from {data.vendor_name}</h1>
              <p className="mt-1 text-sm text-slate-600">
                Placed <RelativeTime at={data.created_at} now={now} />
              </p>
            </div>
            <p className="inline-flex w-fit items-center gap-1.5 rounded-full bg-emerald-50 px-2.5 py-1 text-xs font-medium text-emerald-800 ring-1 ring-emerald-600/20 ring-inset">
              <CheckCircle2 className="size-3.5" aria-hidden="true" />
              Placed
            </p>
          </div>
          <dl className="grid gap-4 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-900/5 sm:grid-cols-2">
            <Identifier label="Order id" value={data.id} />
            <Identifier label="Request id" value={data.request_id} />
          </dl>
          <Lines order={data} />
        </>
      )}
    </div>
  );
}
