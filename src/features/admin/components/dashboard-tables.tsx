import { Copy } from 'lucide-react';
import { toast } from 'sonner';
import { formatCount, formatDateTime, formatRelative } from '@/lib/format.ts';
import { useNow } from '@/lib/use-now.ts';
import { useAlerts } from '../api/get-alerts.ts';
import { useOperations } from '../api/get-operations.ts';
import { RECENT_ERRORS_SHOWN, useRecentErrors } from '../api/get-recent-errors.ts';
import { useTopStatements } from '../api/get-top-statements.ts';
import { useVendors } from '../api/get-vendors.ts';
import type { AlertRow, ErrorRow, OperationRow, StatementRow, VendorRow } from '../api/rows.ts';
import { formatMetric, type Unit } from '../utils/format-metrics.ts';
import { RANGES, type DashboardRange } from '../utils/ranges.ts';
import { TablePanel, type Column } from './table-panel.tsx';

const mono = 'font-mono text-xs text-slate-900';

export function SlowestOperations({ range }: { range: DashboardRange }) {
  const query = useOperations(range);
  const columns: Column<OperationRow>[] = [
    { header: 'Operation', cell: (r) => <span className={mono}>{r.operation}</span> },
    { header: 'Method', cell: (r) => <span className="text-xs text-slate-600">{r.method}</span> },
    { header: 'Calls', numeric: true, cell: (r) => formatCount(r.requests) },
    { header: 'Errors', numeric: true, cell: (r) => <span className={r.errors > 0 ? 'text-red-700' : ''}>{formatCount(r.errors)}</span> },
    { header: 'p50', numeric: true, cell: (r) => formatMetric(r.p50_ms, 'ms') },
    { header: 'p95', numeric: true, cell: (r) => <span className="font-medium text-slate-900">{formatMetric(r.p95_ms, 'ms')}</span> },
    { header: 'p99', numeric: true, cell: (r) => formatMetric(r.p99_ms, 'ms') },
  ];
  return (
    <TablePanel
      id="operations"
      title={`Slowest operations · ${RANGES[range].phrase}`}
      subtitle="By p95 of what browsers measured, from merged histograms"
      query={query}
      rows={query.data?.slice(0, 10)}
      columns={columns}
      rowKey={(r) => `${r.operation} ${r.method}`}
      empty="No calls reported in this range: open the shop or run the simulator."
    />
  );
}

export function TopStatements({ range }: { range: DashboardRange }) {
  const query = useTopStatements(range);
  const now = useNow(10_000);
  const since = query.data?.[0]?.since;
  const columns: Column<StatementRow>[] = [
    {
      header: 'Statement',
      cell: (r) => (
        <span className={`${mono} line-clamp-2 max-w-xl break-all`} title={r.query}>
          {r.query}
        </span>
      ),
    },
    { header: 'Calls', numeric: true, cell: (r) => formatCount(r.calls) },
    { header: 'Total', numeric: true, cell: (r) => <span className="font-medium text-slate-900">{formatMetric(r.total_ms, 'ms')}</span> },
    { header: 'Mean', numeric: true, cell: (r) => formatMetric(r.mean_ms, 'ms') },
    { header: 'Share', numeric: true, cell: (r) => formatMetric(r.share, 'ratio') },
  ];
  return (
    <TablePanel
      id="statements"
      title="Top SQL by total time"
      subtitle={since ? <span title={formatDateTime(since)}>From pg_stat_statements, since its last reset {formatRelative(since, now)}</span> : 'From pg_stat_statements'}
      query={query}
      rows={query.data}
      columns={columns}
      rowKey={(r, i) => `${i} ${r.query.slice(0, 40)}`}
      empty="No statements recorded yet."
      unavailable={(error) =>
        (error as { code?: string }).code === 'statements_unavailable' ? (
          <>
            <p className="font-medium text-slate-900">Top SQL needs pg_stat_statements</p>
            <p className="mt-1">{error.message}. Add it to shared_preload_libraries (the local stack does, in stack/postgres.ts), restart Postgres, then run “create extension pg_stat_statements with schema extensions”.</p>
          </>
        ) : null
      }
    />
  );
}

function CopyId({ id }: { id: string }) {
  const copy = () =>
    navigator.clipboard.writeText(id).then(
      () => toast.success('Request id copied'),
      () => toast.error('Could not copy: select the id instead'),
    );
  return (
    <span className="inline-flex items-center gap-1">
      <span className={`${mono} max-w-[9rem] truncate`} title={id}>
        {id}
      </span>
      <button type="button" onClick={copy} className="rounded p-0.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600" aria-label={`Copy request id ${id}`}>
        <Copy className="size-3.5" aria-hidden="true" />
      </button>
    </span>
  );
}

export function RecentErrors({ range }: { range: DashboardRange }) {
  const query = useRecentErrors(range);
  const now = useNow(5000);
  const columns: Column<ErrorRow>[] = [
    { header: 'When', cell: (r) => <span className="whitespace-nowrap text-slate-700" title={formatDateTime(r.occurred_at)}>{formatRelative(r.occurred_at, now)}</span> },
    { header: 'Operation', cell: (r) => <span className={mono}>{r.operation}</span> },
    {
      header: 'Status',
      cell: (r) => (
        <span className="whitespace-nowrap">
          <span className={`tabular-nums font-medium ${r.outcome === 'error' ? 'text-red-700' : 'text-amber-800'}`}>{r.status === 0 ? 'no response' : r.status}</span>{' '}
          <span className="text-xs text-slate-600">{r.outcome === 'error' ? 'error' : 'rejected'}</span>
        </span>
      ),
    },
    { header: 'Code', cell: (r) => <span className={mono}>{r.code ?? '–'}</span> },
    { header: 'Vendor', cell: (r) => <span className="text-slate-700">{r.vendor_name ?? (r.anon ? 'anonymous' : '–')}</span> },
    { header: 'Request id', cell: (r) => (r.request_id ? <CopyId id={r.request_id} /> : <span className="text-slate-500">–</span>) },
    { header: 'Took', numeric: true, cell: (r) => formatMetric(r.duration_ms, 'ms') },
  ];
  return (
    <TablePanel
      id="errors"
      title="Recent errors"
      subtitle={`The last ${RECENT_ERRORS_SHOWN} failed calls browsers reported; the request id finds the call in the API's log and the ledger`}
      query={query}
      rows={query.data}
      columns={columns}
      rowKey={(r, i) => `${r.occurred_at} ${i}`}
      empty="No failed calls in the last 48 hours."
    />
  );
}

const alertUnits: Record<string, Unit> = { ratio: 'ratio', ms: 'ms', bytes: 'bytes', seconds: 'seconds', sessions: 'count', count: 'count', rows: 'count' };

export function AlertRules({ range }: { range: DashboardRange }) {
  const query = useAlerts(range);
  const rows = query.data && [...query.data].sort((a, b) => Number(b.firing) - Number(a.firing) || Number(b.severity === 'critical') - Number(a.severity === 'critical'));
  const firing = rows?.filter((r) => r.firing).length ?? 0;
  const columns: Column<AlertRow>[] = [
    {
      header: 'State',
      cell: (r) =>
        r.firing ? (
          <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${r.severity === 'critical' ? 'bg-red-50 text-red-800 ring-red-600/20' : 'bg-amber-50 text-amber-800 ring-amber-600/20'}`}>
            Firing · {r.severity}
          </span>
        ) : (
          <span className="inline-flex rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800 ring-1 ring-emerald-600/20 ring-inset">OK</span>
        ),
    },
    { header: 'Rule', cell: (r) => <span className="font-medium text-slate-900">{r.title}</span> },
    { header: 'Condition', cell: (r) => <span className="text-xs text-slate-700">{r.condition}</span> },
    {
      header: 'Now',
      numeric: true,
      cell: (r) => (r.value === null ? <span className="text-slate-500">no data</span> : r.unit === 'apdex' ? r.value.toFixed(2) : formatMetric(r.value, alertUnits[r.unit] ?? 'count')),
    },
  ];
  return (
    <TablePanel
      id="alerts"
      title={firing === 0 ? 'Alerts · none firing' : `Alerts · ${firing} firing`}
      subtitle="Every rule, its threshold, and its value over the last 5 minutes"
      query={query}
      rows={rows}
      columns={columns}
      rowKey={(r) => r.rule}
      empty="No alert rules."
    />
  );
}

export function VendorBreakdown({ range }: { range: DashboardRange }) {
  const query = useVendors(range);
  const columns: Column<VendorRow>[] = [
    { header: 'Vendor', cell: (r) => <span className="font-medium text-slate-900">{r.vendor_name}</span> },
    { header: 'Calls', numeric: true, cell: (r) => formatCount(r.requests) },
    { header: 'Errors', numeric: true, cell: (r) => <span className={r.errors > 0 ? 'text-red-700' : ''}>{formatCount(r.errors)} ({formatMetric(r.error_rate, 'ratio')})</span> },
    { header: 'p95', numeric: true, cell: (r) => formatMetric(r.p95_ms, 'ms') },
    { header: 'Reservations', numeric: true, cell: (r) => formatCount(r.reservations) },
    { header: 'Checkouts', numeric: true, cell: (r) => formatCount(r.checkouts) },
  ];
  return (
    <TablePanel
      id="vendors"
      title={`By vendor · ${RANGES[range].phrase}`}
      subtitle="Calls from a vendor's workspace (or its only members), and its ledger"
      query={query}
      rows={query.data}
      columns={columns}
      rowKey={(r) => r.vendor_id}
      empty="No vendor activity in this range."
    />
  );
}
