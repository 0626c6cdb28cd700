import { timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StackConfig } from './config.ts';
import type { ApiResponse } from './service.ts';

// The stack's Prometheus metrics (prom-client), served by the gateway at Supabase's privileged
// metrics path, /customer/v1/privileged/metrics, to the service role only (HTTP Basic
// `service_role:<service_role key>`, as Supabase's Metrics API; or the key as `apikey`).
// Names follow Prometheus conventions, and PostgREST's (pgrst_db_pool_*), Supabase Realtime's
// (realtime_*) and postgres_exporter's (pg_*) where they overlap. Each scrape reads the
// database's own counters with one query.

export const METRICS_PATH = '/customer/v1/privileged/metrics';

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Distinct route labels kept; further ones count as "other", so a client cannot grow the series without bound. */
const MAX_ROUTES = 500;

export interface StackMetrics {
  registry: Registry;
  /** One HTTP request through the gateway (WebSocket upgrades are counted as connections). */
  requestFinished(method: string, pathname: string, status: number, seconds: number): void;
  /** A gauge read when Prometheus scrapes. */
  gauge(name: string, help: string, read: () => number | Promise<number>): void;
  realtimeFrameSent(): void;
  realtimeDecoded(delaySeconds: number): void;
}

/** The label of a request's route: the service, and the table, function or endpoint (never ids or filters). */
export function routeOf(pathname: string): { service: string; route: string } {
  if (pathname === '/health') return { service: 'gateway', route: '/health' };
  if (pathname === METRICS_PATH) return { service: 'gateway', route: METRICS_PATH };
  const [, service, version, first, second] = pathname.split('/');
  if (version !== 'v1' || !['rest', 'auth', 'realtime'].includes(service ?? '')) return { service: 'gateway', route: 'other' };
  const name = (segment: string | undefined) => (segment && NAME.test(segment) ? segment : ':other');
  if (service === 'rest') return { service, route: first === 'rpc' ? `/rest/v1/rpc/${name(second)}` : `/rest/v1/${name(first)}` };
  if (service === 'auth') return { service, route: first === 'admin' ? `/auth/v1/admin/${name(second)}` : `/auth/v1/${name(first)}` };
  return { service: 'realtime', route: first === 'api' ? `/realtime/v1/api/${name(second)}` : `/realtime/v1/${name(first)}` };
}

export function createMetrics(adminPool: pg.Pool): StackMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const seenRoutes = new Set<string>();

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests through the stack gateway, by service, route, method and status.',
    labelNames: ['service', 'route', 'method', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request reaching the gateway to its response being written, in seconds.',
    labelNames: ['service', 'route', 'method', 'status_class'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const framesSent = new Counter({ name: 'realtime_channel_events_total', help: 'Frames the Realtime server sent to clients (events, replies, presence).', registers: [registry] });
  const replicationDelay = new Histogram({
    name: 'realtime_replication_delay_seconds',
    help: 'Time from a change committing to the Realtime server decoding it from the replication stream, in seconds.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // The database's own counters and gauges, read once per scrape.
  let snapshot: Promise<Record<string, number>> | undefined;
  const database = () =>
    (snapshot ??= adminPool
      .query<Record<string, string | null>>(
        `select d.blks_hit, d.blks_read, d.xact_commit, d.xact_rollback, d.deadlocks, d.numbackends,
                pg_database_size(d.datid) as size, current_setting('max_connections') as max_connections,
                (select max(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)) from pg_replication_slots
                  where slot_type = 'logical' and database = current_database()) as slot_lag
         from pg_stat_database d where d.datname = current_database()`,
      )
      .then(({ rows }) => Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v ?? 0)])))
      .finally(() => setTimeout(() => (snapshot = undefined), 0)));
  for (const [name, key, help] of [
    ['pg_stat_database_blks_hit_total', 'blks_hit', 'Blocks found in shared buffers (pg_stat_database).'],
    ['pg_stat_database_blks_read_total', 'blks_read', 'Blocks read from disk or the OS cache (pg_stat_database).'],
    ['pg_stat_database_xact_commit_total', 'xact_commit', 'Transactions committed (pg_stat_database).'],
    ['pg_stat_database_xact_rollback_total', 'xact_rollback', 'Transactions rolled back (pg_stat_database).'],
    ['pg_stat_database_deadlocks_total', 'deadlocks', 'Deadlocks detected (pg_stat_database).'],
  ] as const) {
    new Counter({
      name,
      help,
      registers: [registry],
      async collect() {
        this.reset();
        this.inc((await database())[key] ?? 0);
      },
    });
  }
  const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
    void new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(await read());
      },
    });
  gauge('pg_stat_database_numbackends', 'Backends connected to the database.', async () => (await database()).numbackends ?? 0);
  gauge('pg_database_size_bytes', 'Size of the database in bytes.', async () => (await database()).size ?? 0);
  gauge('pg_settings_max_connections', 'Postgres max_connections.', async () => (await database()).max_connections ?? 0);
  gauge('realtime_replication_lag_bytes', 'WAL the logical replication slots of the database have not confirmed, at worst.', async () => (await database()).slot_lag ?? 0);

  return {
    registry,
    requestFinished(method, pathname, status, seconds) {
      let { service, route } = routeOf(pathname);
      if (!seenRoutes.has(route)) {
        if (seenRoutes.size >= MAX_ROUTES) route = 'other';
        else seenRoutes.add(route);
      }
      requests.inc({ service, route, method, status: String(status) });
      durations.observe({ service, route, method, status_class: `${Math.floor(status / 100)}xx` }, seconds);
    },
    gauge,
    realtimeFrameSent: () => framesSent.inc(),
    realtimeDecoded: (delaySeconds) => replicationDelay.observe(Math.max(0, delaySeconds)),
  };
}

const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The metrics, for the service role only: Basic service_role:<key>, or the key as apikey / Bearer. */
export async function metricsResponse(metrics: StackMetrics, config: StackConfig, headers: Record<string, string | string[] | undefined>): Promise<ApiResponse> {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const basic = /^Basic (.+)$/i.exec(header('authorization') ?? '')?.[1];
  const credentials = basic ? Buffer.from(basic, 'base64').toString('utf8') : undefined;
  const bearer = /^Bearer (.+)$/i.exec(header('authorization') ?? '')?.[1];
  const key = config.serviceRoleKey;
  const allowed =
    (credentials !== undefined && equal(credentials, `service_role:${key}`)) || equal(header('apikey') ?? '', key) || equal(bearer ?? '', key);
  if (!allowed) {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="metrics"' },
      body: { message: 'The metrics are for the service role', hint: 'Use HTTP Basic auth with the user service_role and the service_role key as password.' },
    };
  }
  return { status: 200, headers: { 'content-type': metrics.registry.contentType }, body: await metrics.registry.metrics() };
}
