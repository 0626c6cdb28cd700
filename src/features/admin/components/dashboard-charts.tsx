import type { ChartPoint } from '@/components/charts/time-series-chart.tsx';
import { useApiSeries } from '../api/get-api-series.ts';
import { useClientSeries } from '../api/get-client-series.ts';
import { useDatabaseSeries } from '../api/get-database-series.ts';
import { useDomainSeries } from '../api/get-domain-series.ts';
import { useHealthSeries } from '../api/get-health.ts';
import { useServerClock } from '../api/get-server-clock.ts';
import { useCanary } from '../api/use-realtime-canary.ts';
import { summarizeCanary } from '../utils/canary.ts';
import { formatMetric } from '../utils/format-metrics.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { ChartCard, sourceOf, type UnitSeries } from './chart-card.tsx';

// The dashboard's charts: each maps the rows of its series function to points and says which
// series it draws, in which unit, and what to do when there is no data yet.

const time = (bucket: string) => Date.parse(bucket);
const perSecond = (count: number, seconds: number) => (seconds > 0 ? count / seconds : null);
const perMinute = (count: number, seconds: number) => (seconds > 0 ? (count * 60) / seconds : null);
const ratio = (part: number | null, whole: number | null) => (part !== null && whole ? part / whole : null);

/** The latest non-null value of a series, formatted, with a label. */
function latest(key: string, unit: Parameters<typeof formatMetric>[1], label: string) {
  return (points: ChartPoint[]) => {
    const value = [...points].reverse().find((p) => p[key] !== null && p[key] !== undefined)?.[key];
    return value === undefined || value === null ? null : `${label} ${formatMetric(value, unit)}`;
  };
}

const NO_TELEMETRY = (
  <>
    <p className="font-medium text-slate-900">No telemetry yet</p>
    <p className="mt-1">Open the shop in another tab or run the simulator: browsers report their calls every 10 s.</p>
  </>
);

const NO_SAMPLES = (
  <>
    <p className="font-medium text-slate-900">No database samples yet</p>
    <p className="mt-1">The maintenance job samples every 10 s (the stack&apos;s sweeper locally, pg_cron on hosted Supabase). Check that it runs.</p>
  </>
);

export function LatencyChart({ range }: { range: DashboardRange }) {
  const api = useApiSeries(range);
  const series: UnitSeries[] = [
    { key: 'p50', label: 'p50', color: '#a5b4fc', unit: 'ms' },
    { key: 'p95', label: 'p95', color: '#4f46e5', unit: 'ms' },
    { key: 'p99', label: 'p99', color: '#1e1b4b', unit: 'ms', dashed: true },
  ];
  const points = api.data?.map((r) => ({ t: time(r.bucket), p50: r.p50_ms, p95: r.p95_ms, p99: r.p99_ms }));
  return <ChartCard slug="latency" title="API latency" range={range} source={sourceOf(api)} points={points} series={series} headline={latest('p95', 'ms', 'p95')} empty={NO_TELEMETRY} />;
}

export function ThroughputChart({ range }: { range: DashboardRange }) {
  const api = useApiSeries(range);
  const series: UnitSeries[] = [
    { key: 'calls', label: 'Calls', color: '#6366f1', unit: 'perSecond', kind: 'area' },
    { key: 'errors', label: 'Errors', color: '#dc2626', unit: 'perSecond' },
    { key: 'rejections', label: 'Rejections (expected)', color: '#d97706', unit: 'perSecond', dashed: true },
    { key: 'error_rate', label: 'Error rate', color: '#991b1b', unit: 'ratio', axis: 'right', dashed: true },
  ];
  const points = api.data?.map((r) => ({
    t: time(r.bucket),
    calls: perSecond(r.requests, r.seconds),
    errors: perSecond(r.errors, r.seconds),
    rejections: perSecond(r.rejections, r.seconds),
    error_rate: ratio(r.errors, r.requests),
  }));
  return (
    <ChartCard
      slug="throughput"
      title="Throughput and errors"
      range={range}
      source={sourceOf(api)}
      points={points}
      series={series}
      headline={latest('calls', 'perSecond', 'now')}
      rightDomain={[0, (max) => Math.max(max, 0.05)]}
      empty={NO_TELEMETRY}
      footer={<p className="mt-2 text-xs text-slate-600">Errors: 5xx, no response, and 4xx the app does not expect. Rejections: stock, version and key conflicts, rate limits, wrong passwords.</p>}
    />
  );
}

export function CacheChart({ range }: { range: DashboardRange }) {
  const database = useDatabaseSeries(range);
  const client = useClientSeries(range);
  const series: UnitSeries[] = [
    { key: 'buffer', label: 'DB buffer cache', color: '#4f46e5', unit: 'ratio' },
    { key: 'tables', label: 'Tables', color: '#64748b', unit: 'ratio', dashed: true },
    { key: 'indexes', label: 'Indexes', color: '#94a3b8', unit: 'ratio', dashed: true },
    { key: 'client', label: 'Client cache (react-query)', color: '#a5b4fc', unit: 'ratio' },
  ];
  const byBucket = new Map(client.data?.map((c) => [c.bucket, c]));
  const points = database.data && client.data
    ? database.data.map((d) => ({ t: time(d.bucket), buffer: d.cache_hit_ratio, tables: d.table_hit_ratio, indexes: d.index_hit_ratio, client: byBucket.get(d.bucket)?.client_hit_ratio ?? null }))
    : undefined;
  return (
    <ChartCard
      slug="cache"
      title="Cache hit ratios"
      range={range}
      source={sourceOf(database, client)}
      points={points}
      series={series}
      headline={latest('buffer', 'ratio', 'database')}
      leftDomain={['auto', 1]}
      empty={NO_SAMPLES}
      footer={<p className="mt-2 text-xs text-slate-600">Database: blocks found in shared buffers over blocks read or found, per step (target 99 %, alert under 98 %). Client: reads served from the react-query cache.</p>}
    />
  );
}

export function RealtimeChart({ range }: { range: DashboardRange }) {
  const client = useClientSeries(range);
  const canary = useCanary();
  const clock = useServerClock();
  const series: UnitSeries[] = [
    { key: 'lag_p50', label: 'Lag p50', color: '#a5b4fc', unit: 'ms' },
    { key: 'lag_p95', label: 'Lag p95', color: '#4f46e5', unit: 'ms' },
    { key: 'channels', label: 'Live channels (avg)', color: '#64748b', unit: 'count', axis: 'right', kind: 'area' },
    { key: 'rejoins', label: 'Rejoins', color: '#d97706', unit: 'count', axis: 'right' },
  ];
  const points = client.data?.map((r) => ({ t: time(r.bucket), lag_p50: r.lag_p50_ms, lag_p95: r.lag_p95_ms, channels: r.live_channels, rejoins: r.channel_rejoins }));
  const live = canary.data && clock.data ? summarizeCanary(canary.data, Date.now() + clock.data.offsetMs) : null;
  return (
    <ChartCard
      slug="realtime"
      title="Realtime lag and channels"
      range={range}
      source={sourceOf(client)}
      points={points}
      series={series}
      headline={latest('lag_p95', 'ms', 'p95')}
      empty={
        <>
          <p className="font-medium text-slate-900">No realtime lag stored yet</p>
          <p className="mt-1">Keep this page open: the maintenance job sends a canary every 4 s, and this page times it and reports it.</p>
        </>
      }
      footer={
        <div className="mt-2 space-y-1 text-xs text-slate-600" data-testid="canary-live">
          {live && live.count > 0 ? (
            <p>
              Canary on this page, last 5 min: <span className="font-medium text-slate-900 tabular-nums">p50 {formatMetric(live.p50, 'ms')} · p95 {formatMetric(live.p95, 'ms')}</span>{' '}
              ({canary.data!.received} received, {canary.data!.missed} missed)
            </p>
          ) : (
            <p>Waiting for the first canary (every 4 s on the private monitoring:canary topic).</p>
          )}
          {clock.data && (
            <p>
              Timed on the database&apos;s clock: offset {clock.data.offsetMs >= 0 ? '+' : ''}
              {formatMetric(clock.data.offsetMs, 'ms')} ± {formatMetric(clock.data.uncertaintyMs, 'ms')} (NTP-style, best of {clock.data.samples} round trips).
            </p>
          )}
          {clock.isError && <p className="text-amber-800">The server clock could not be read ({clock.error.message}); canary lag is not measured.</p>}
        </div>
      }
    />
  );
}

export function SaturationChart({ range }: { range: DashboardRange }) {
  const database = useDatabaseSeries(range);
  const series: UnitSeries[] = [
    { key: 'connections', label: 'Connections / max', color: '#4f46e5', unit: 'ratio', kind: 'area' },
    { key: 'idle_in_tx', label: 'Idle in transaction', color: '#d97706', unit: 'count', axis: 'right' },
    { key: 'lock_waits', label: 'Waiting on locks', color: '#dc2626', unit: 'count', axis: 'right' },
    { key: 'longest', label: 'Longest transaction', color: '#64748b', unit: 'seconds', axis: 'right', dashed: true },
  ];
  const points = database.data?.map((d) => ({
    t: time(d.bucket),
    connections: ratio(d.connections, d.max_connections),
    idle_in_tx: d.connections_idle_in_transaction,
    lock_waits: d.lock_waits,
    longest: d.longest_transaction_seconds,
  }));
  const last = [...(database.data ?? [])].reverse().find((d) => d.connections !== null);
  return (
    <ChartCard
      slug="saturation"
      title="Saturation"
      range={range}
      source={sourceOf(database)}
      points={points}
      series={series}
      headline={() => (last ? `${last.connections} of ${last.max_connections} connections` : null)}
      leftDomain={[0, (max) => Math.max(max, 0.25)]}
      empty={NO_SAMPLES}
      footer={
        last && (
          <p className="mt-2 text-xs text-slate-600">
            Database size {formatMetric(last.database_bytes, 'bytes')} · replication slot lag {formatMetric(last.replication_lag_bytes, 'bytes')} · deadlocks this step{' '}
            {formatMetric(last.deadlocks, 'count')} · rollback ratio {formatMetric(last.rollback_ratio, 'ratio')}
          </p>
        )
      }
    />
  );
}

export function HealthChart({ range }: { range: DashboardRange }) {
  const health = useHealthSeries(range);
  const series: UnitSeries[] = [{ key: 'score', label: 'Health score', color: '#4f46e5', unit: 'score', kind: 'area' }];
  const points = health.data?.map((r) => ({ t: time(r.bucket), score: r.score }));
  return (
    <ChartCard
      slug="health"
      title="Health over time"
      range={range}
      source={sourceOf(health)}
      points={points}
      series={series}
      headline={latest('score', 'score', 'score')}
      leftDomain={[0, 100]}
      empty={NO_TELEMETRY}
    />
  );
}

export function LedgerChart({ range }: { range: DashboardRange }) {
  const domain = useDomainSeries(range);
  const series: UnitSeries[] = [
    { key: 'reservations', label: 'Reservations', color: '#4f46e5', unit: 'perMinute' },
    { key: 'checkouts', label: 'Checkouts', color: '#1e1b4b', unit: 'perMinute' },
    { key: 'releases', label: 'Releases', color: '#94a3b8', unit: 'perMinute', dashed: true },
    { key: 'expiries', label: 'Expiries', color: '#d97706', unit: 'perMinute', dashed: true },
  ];
  const points = domain.data?.map((r) => ({
    t: time(r.bucket),
    reservations: perMinute(r.reservations, r.seconds),
    checkouts: perMinute(r.checkouts, r.seconds),
    releases: perMinute(r.releases, r.seconds),
    expiries: perMinute(r.expiries, r.seconds),
  }));
  const gauges = [...(domain.data ?? [])].reverse().find((r) => r.active_reservations !== null);
  return (
    <ChartCard
      slug="ledger"
      title="Reservations and checkouts"
      range={range}
      source={sourceOf(domain)}
      points={points}
      series={series}
      headline={latest('reservations', 'perMinute', 'reservations')}
      empty={
        <>
          <p className="font-medium text-slate-900">No stock movements in this range</p>
          <p className="mt-1">Reserve or check out in the shop, or run the simulator; the ledger feeds this chart.</p>
        </>
      }
      footer={
        gauges && (
          <dl className="mt-3 grid grid-cols-2 gap-2 text-xs sm:grid-cols-5" data-testid="domain-gauges">
            {[
              ['Active reservations', gauges.active_reservations],
              ['Units held', gauges.units_held],
              ['Low stock', gauges.low_stock_items],
              ['Sold out', gauges.out_of_stock_items],
              ['Ledger drift rows', gauges.drift_rows],
            ].map(([label, value]) => (
              <div key={label as string} className="rounded-md bg-slate-50 px-2 py-1.5">
                <dt className="text-slate-600">{label}</dt>
                <dd className={`font-semibold tabular-nums ${label === 'Ledger drift rows' && Number(value) > 0 ? 'text-red-700' : 'text-slate-900'}`}>{formatMetric(value as number | null, 'count')}</dd>
              </div>
            ))}
          </dl>
        )
      }
    />
  );
}

export function RejectionsChart({ range }: { range: DashboardRange }) {
  const domain = useDomainSeries(range);
  const series: UnitSeries[] = [
    { key: 'insufficient_stock', label: 'insufficient_stock', color: '#4f46e5', unit: 'perMinute' },
    { key: 'version_conflict', label: 'version_conflict', color: '#64748b', unit: 'perMinute' },
    { key: 'rate_limited', label: 'rate_limited', color: '#d97706', unit: 'perMinute' },
    { key: 'idempotency_key_reused', label: 'idempotency_key_reused', color: '#dc2626', unit: 'perMinute' },
    { key: 'replays', label: 'Idempotent replays', color: '#a5b4fc', unit: 'perMinute', dashed: true },
  ];
  const points = domain.data?.map((r) => ({
    t: time(r.bucket),
    insufficient_stock: perMinute(r.insufficient_stock, r.seconds),
    version_conflict: perMinute(r.version_conflict, r.seconds),
    rate_limited: perMinute(r.rate_limited, r.seconds),
    idempotency_key_reused: perMinute(r.idempotency_key_reused, r.seconds),
    replays: perMinute(r.replays, r.seconds),
  }));
  return (
    <ChartCard
      slug="rejections"
      title="Rejections by code"
      range={range}
      source={sourceOf(domain)}
      points={points}
      series={series}
      empty={
        <>
          <p className="font-medium text-slate-900">No rejections in this range</p>
          <p className="mt-1">Stock, version and key conflicts and rate limits show here as browsers report them.</p>
        </>
      }
      footer={<p className="mt-2 text-xs text-slate-600">Replays are counted when the browser may read the Idempotent-Replayed header.</p>}
    />
  );
}
