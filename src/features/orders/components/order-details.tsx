import { Link } from 'react-router';
import { CheckCircle2, ChevronRight } from 'lucide-react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { CopyButton } from '@/components/ui/copy-button.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { formatCount, formatMoney } from '@/lib/format.ts';
import { productPath } from '@/lib/paths.ts';
import { useNow } from '@/lib/use-now.ts';
import { useOrder, type Order } from '../api/get-order.ts';
import { shortId } from '../utils/short-id.ts';

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

const cell = 'px-3 py-2.5 text-sm';

function Lines({ order }: { order: Order }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-900/5">
      <table className="w-full text-left">
        <caption className="sr-only">Items in this order</caption>
        <thead className="border-b border-slate-200 text-xs font-semibold text-slate-600 uppercase">
          <tr>
            <th scope="col" className={cell}>
              Product
            </th>
            <th scope="col" className={`${cell} text-right`}>
              Qty
            </th>
            <th scope="col" className={`${cell} hidden text-right sm:table-cell`}>
              Price
            </th>
            <th scope="col" className={`${cell} text-right`}>
              Total
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {order.order_lines.map((line) => (
            <tr key={line.id} data-testid="order-line">
              <td className={cell}>
                <Link to={productPath(line.product_id)} className="font-medium text-slate-900 hover:underline">
                  {line.product_name}
                </Link>
                <p className="font-mono text-xs text-slate-600">{line.sku}</p>
              </td>
              <td className={`${cell} text-right text-slate-900 tabular-nums`}>{formatCount(line.quantity)}</td>
              <td className={`${cell} hidden text-right text-slate-600 tabular-nums sm:table-cell`}>{formatMoney(line.unit_price)}</td>
              <td className={`${cell} text-right font-semibold text-slate-900 tabular-nums`}>{formatMoney(line.line_total ?? line.quantity * line.unit_price)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t border-slate-200">
          <tr>
            <th scope="row" colSpan={2} className={`${cell} font-semibold text-slate-900`}>
              Total · {formatCount(order.item_count)} {order.item_count === 1 ? 'item' : 'items'}
            </th>
            <td className={`${cell} hidden sm:table-cell`} />
            <td className={`${cell} text-right text-base font-semibold text-slate-900 tabular-nums`} data-testid="order-total">
              {formatMoney(order.total)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** One order: who sold it, when, its lines and total, and the ids support asks for. */
export function OrderDetails({ orderId }: { orderId: string }) {
  const order = useOrder(orderId);
  const now = useNow(30_000);
  const data = order.data;
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <ol className="flex items-center gap-1.5 text-slate-600">
          <li>
            <Link to="/orders" className="font-medium hover:text-slate-900">
              Orders
            </Link>
          </li>
          {data && (
            <li className="flex items-center gap-1.5">
              <ChevronRight className="size-4 text-slate-400" aria-hidden="true" />
              <span aria-current="page">{shortId(data.id)}</span>
            </li>
          )}
        </ol>
      </nav>
      {order.isPending ? (
        <div role="status" className="animate-pulse space-y-4">
          <span className="sr-only">Loading the order</span>
          <div className="h-7 w-72 rounded bg-slate-200" aria-hidden="true" />
          <div className="h-16 rounded-xl bg-white ring-1 ring-slate-900/5" aria-hidden="true" />
          <div className="h-48 rounded-xl bg-white ring-1 ring-slate-900/5" aria-hidden="true" />
        </div>
      ) : data === undefined ? (
        <Alert tone="error" title="The order could not be loaded">
          <p>{order.error?.message}</p>
          <Button variant="secondary" className="mt-3" loading={order.isFetching} onClick={() => void order.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : data === null ? (
        <section className="rounded-xl border border-dashed border-slate-300 px-6 py-14 text-center" aria-labelledby="missing-order">
          <h1 id="missing-order" className="text-lg font-semibold text-slate-900">
            No such order
          </h1>
          <p className="mt-1 text-sm text-slate-600">It is not one of your orders, or the address is mistyped.</p>
          <Link to="/orders" className="mt-4 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
            See your orders
          </Link>
        </section>
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
