// The monitoring pipeline's costs, in one run with its baselines:
//   1. telemetry ingest: batches through ingest_telemetry over the stack's REST (supabase-js, as
//      browsers send them) and over a direct connection (role and claims per transaction, as
//      PostgREST does), against a plain INSERT of the same rollup rows (no validation, limits or
//      idempotency key);
//   2. the admin dashboard's queries over 24 h of per-minute rollups for 100 operations (and
//      24 h of database samples), one by one and as the page refreshes them (all at once);
//   3. the SPA's per-call cost of the instrumented fetch, in µs, against the same fetch
//      uninstrumented (an in-memory fetch, so only the wrapper is measured; then real requests).
// Prints one JSON line per result on stdout; progress on stderr. Never fails on time.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { signJwt } from '../stack/jwt.ts';
import { TelemetryCollector, type Batch, type BatchCall } from '../src/lib/telemetry/collector.ts';
import { bucketOf, emptyHistogram } from '../src/lib/telemetry/histogram.ts';
import { instrumentFetch } from '../src/lib/telemetry/instrument-fetch.ts';
import { describeRequest } from '../src/lib/telemetry/operation.ts';
import { benchClient, benchStack, emit, measure, percentile, progress } from './harness.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 2000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const OPERATIONS = 100;
const DASHBOARD_RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 15);
const OVERHEAD_CALLS = Number(process.env.BENCH_OVERHEAD_CALLS ?? 100_000);

const operation = (i: number) => `rpc:bench_op_${String(i % OPERATIONS).padStart(3, '0')}`;

/** A batch like a busy tab sends: 50 calls (5 % rejected, 1 % failed), cache reads, a channel, canary lag. */
function sampleBatch(seed: number): Batch {
  const api: BatchCall[] = Array.from({ length: 50 }, (_, i) => {
    const n = seed * 50 + i;
    const status = n % 100 === 0 ? 500 : n % 20 === 0 ? 409 : 200;
    return {
      op: operation(n), method: 'POST', status, code: status === 409 ? 'insufficient_stock' : status === 500 ? 'PGRSTX00' : null,
      ms: 5 + ((n * 37) % 400) * 0.7, age_ms: (n * 13) % 9000, rid: status === 200 ? null : randomUUID(), vendor: null, replayed: false, w: 1,
    };
  });
  return {
    v: 1,
    api,
    cache: [{ key: 'catalog', hits: 4, stale: 1, misses: 1, fetches: 2, age_ms: 0 }, { key: 'auth', hits: 2, stale: 0, misses: 0, fetches: 0, age_ms: 0 }],
    realtime: [{ channel: 'shop availability', joins: 0, rejoins: 0, drops: 0, live_s: 10, age_ms: 0 }],
    lag: Array.from({ length: 5 }, (_, i) => ({ ms: 4 + i * 3, age_ms: i * 2000 })),
  };
}
const EVENTS_PER_BATCH = 50 + 2 + 1 + 5;

/** The rollup rows ingest_telemetry writes for a batch, computed here, for the plain-insert baseline. */
function rollupRows(batch: Batch, now: number) {
  const minute = (age: number) => new Date(Math.floor((now - age) / 60_000) * 60_000);
  const groups = new Map<string, { call: BatchCall; minute: Date; requests: number; sum: number; histogram: number[] }>();
  for (const call of batch.api) {
    const key = `${minute(call.age_ms).getTime()} ${call.op} ${call.status} ${call.code}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { call, minute: minute(call.age_ms), requests: 0, sum: 0, histogram: emptyHistogram() }));
    g.requests += call.w;
    g.sum += call.ms * call.w;
    g.histogram[bucketOf(call.ms) - 1]! += call.w;
  }
  const lag = emptyHistogram();
  for (const l of batch.lag) lag[bucketOf(l.ms) - 1]! += 1;
  return {
    api: [...groups.values()].map((g) => [g.minute, g.call.op, g.call.method, g.call.status, g.call.code, g.call.status < 400 ? 'ok' : g.call.status === 409 ? 'rejected' : 'error', g.requests, g.sum, g.histogram] as const),
    errors: batch.api.filter((c) => c.status >= 400).map((c) => [new Date(now - c.age_ms), c.op, c.method, c.status, c.code, c.status === 409 ? 'rejected' : 'error', c.rid, c.ms] as const),
    cache: batch.cache.map((c) => [minute(0), c.key, c.hits, c.stale, c.misses, c.fetches] as const),
    realtime: [[minute(0), 'shop availability', 10, batch.lag.length, batch.lag.reduce((s, l) => s + l.ms, 0), lag] as const],
  };
}

/** `rows` as one multi-row INSERT: the column list and $n placeholders. */
function insertSql(table: string, columns: string, rows: ReadonlyArray<ReadonlyArray<unknown>>): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
  return { text: `insert into ${table} (${columns}) values ${tuples.join(', ')}`, values };
}

async function inTransaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await work(client);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

const stack = await benchStack();
progress(`stack at ${stack.apiUrl}`);
const admin = new pg.Pool({ connectionString: stack.dbUrl, max: CONCURRENCY + 2 });
const direct = new pg.Pool({ connectionString: stack.dbUrl.replace('postgres:postgres@', 'authenticator:postgres@'), max: CONCURRENCY });
try {
  // The per-user limit would measure itself: lift it (it is still checked on every batch).
  await admin.query('update private.telemetry_settings set user_batches_per_minute = 1000000, anon_batches_per_minute = 1000000, anon_client_batches_per_minute = 1000000');
  const users = await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    const id = randomUUID();
    await admin.query(
      `insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, email_confirmed_at)
       values ($1, 'authenticated', 'authenticated', $2, $3, '{}', now(), now(), now())`,
      [id, `bench-${id}@example.test`, { provider: 'email', role: 'admin' }],
    );
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: id, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 7200, app_metadata: { provider: 'email', role: 'admin' } };
    return { claims: JSON.stringify(claims), client: benchClient(stack, stack.anonKey, signJwt(claims, stack.jwtSecret)) };
  }));
  const free = [...users.keys()];
  const withUser = async <T>(work: (u: (typeof users)[number]) => Promise<T>) => {
    const i = free.pop()!;
    try {
      return await work(users[i]!);
    } finally {
      free.push(i);
    }
  };

  // 1. Ingest.
  const batches = Array.from({ length: 64 }, (_, i) => sampleBatch(i));
  const paths: Record<string, (i: number) => Promise<void>> = {
    'ingest_rpc supabase-js': (i) =>
      withUser(async (u) => {
        const { error } = await u.client.rpc('ingest_telemetry', { batch: batches[i % batches.length], idempotency_key: `bench-${randomUUID()}` });
        if (error) throw new Error(`${error.code}: ${error.message}`);
      }),
    'ingest_rpc direct_sql': (i) =>
      withUser((u) =>
        inTransaction(direct, async (c) => {
          await c.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [u.claims]);
          await c.query('select public.ingest_telemetry($1::jsonb, $2)', [JSON.stringify(batches[i % batches.length]), `bench-${randomUUID()}`]);
        }),
      ),
    'plain_insert direct_sql': (i) => {
      const rows = rollupRows(batches[i % batches.length]!, Date.now());
      return inTransaction(admin, async (c) => {
        for (const q of [
          insertSql('private.telemetry_api_minutes', 'minute, operation, method, status, code, outcome, requests, duration_ms_sum, histogram, anon', rows.api.map((r) => [...r, false])),
          insertSql('private.telemetry_errors', 'occurred_at, operation, method, status, code, outcome, request_id, duration_ms, anon', rows.errors.map((r) => [...r, false])),
          insertSql('private.telemetry_cache_minutes', 'minute, query_key, hits, stale_hits, misses, fetches, anon', rows.cache.map((r) => [...r, false])),
          insertSql('private.telemetry_realtime_minutes', 'minute, channel, live_seconds, lag_samples, lag_ms_sum, lag_histogram, joins, rejoins, drops, anon', rows.realtime.map((r) => [...r, 0, 0, 0, false])),
        ]) {
          if (q.values.length > 0) await c.query(q.text, q.values);
        }
      });
    },
  };
  const ingest: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const [path, run] of Object.entries(paths)) {
    progress(`${path}: ${COUNT} batches of ${EVENTS_PER_BATCH} events, concurrency ${CONCURRENCY}`);
    const s = await measure({ concurrency: CONCURRENCY, count: COUNT, maxSeconds: MAX_SECONDS }, run);
    ingest[path] = s;
    emit({
      bench: 'telemetry_ingest', path, concurrency: CONCURRENCY, events_per_batch: EVENTS_PER_BATCH, batches: s.count, errors: s.errors,
      batches_per_second: s.per_second, events_per_second: +(s.per_second * EVENTS_PER_BATCH).toFixed(0),
      p50_ms: s.p50_ms, p95_ms: s.p95_ms, p99_ms: s.p99_ms, seconds: s.seconds,
    });
  }
  for (const path of ['ingest_rpc supabase-js', 'ingest_rpc direct_sql']) {
    const [a, b] = [ingest[path]!, ingest['plain_insert direct_sql']!];
    emit({ bench: 'telemetry_ingest', path: `ratio ${path}/plain_insert`, throughput_ratio: +(a.per_second / b.per_second).toFixed(3), p95_ratio: +(a.p95_ms / b.p95_ms).toFixed(3) });
  }

  // 2. The dashboard over 24 h of rollups for 100 operations.
  progress('seeding 24 h of per-minute rollups for 100 operations and 24 h of database samples');
  await admin.query('truncate private.telemetry_api_minutes, private.telemetry_errors, private.telemetry_cache_minutes, private.telemetry_realtime_minutes, private.database_health_samples, private.domain_samples');
  await admin.query(`
    insert into private.telemetry_api_minutes (minute, operation, method, status, code, outcome, anon, requests, duration_ms_sum, histogram)
    select m, 'rpc:bench_op_' || lpad(o::text, 3, '0'), 'POST', s.status, s.code, s.outcome, false, s.requests, s.requests * (20 + o),
           (select array_agg(case when i between 20 + o % 8 and 30 + o % 8 then s.requests / 11 + 1 else 0 end order by i) from generate_series(1, 66) i)
    from generate_series(date_trunc('minute', now()) - interval '1439 minutes', date_trunc('minute', now()), interval '1 minute') m,
         generate_series(0, ${OPERATIONS - 1}) o,
         (values (200::smallint, null::text, 'ok', 40), (409::smallint, 'insufficient_stock', 'rejected', 2)) s (status, code, outcome, requests)`);
  await admin.query(`
    insert into private.telemetry_realtime_minutes (minute, channel, anon, joins, rejoins, drops, live_seconds, lag_samples, lag_ms_sum, lag_histogram)
    select m, c, false, 1, 0, 0, 600, 15, 150, (select array_agg(case when i between 13 and 16 then 4 else 0 end order by i) from generate_series(1, 66) i)
    from generate_series(date_trunc('minute', now()) - interval '1439 minutes', date_trunc('minute', now()), interval '1 minute') m, unnest(array['canary', 'shop availability', 'stock levels']) c`);
  await admin.query(`
    insert into private.telemetry_cache_minutes (minute, query_key, anon, hits, stale_hits, misses, fetches)
    select m, k, false, 50, 5, 3, 8 from generate_series(date_trunc('minute', now()) - interval '1439 minutes', date_trunc('minute', now()), interval '1 minute') m, unnest(array['catalog', 'auth', 'inventory']) k`);
  await admin.query(`
    insert into private.database_health_samples
    select t, n * 9900, n * 100, n * 50, n, 0, n * 9000, n * 90, n * 900, n * 10, 40, 5, 30, 1, 0, 300, 0.2, 50000000, 1, 4096
    from generate_series(now() - interval '24 hours', now(), interval '10 seconds') with ordinality g (t, n)`);
  await admin.query(`insert into private.domain_samples select t, 12, 30, 4, 1, 0 from generate_series(now() - interval '24 hours', now(), interval '1 minute') t`);
  await admin.query('analyze private.telemetry_api_minutes, private.telemetry_realtime_minutes, private.telemetry_cache_minutes, private.database_health_samples, private.domain_samples');
  const apiRows = (await admin.query<{ n: number }>('select count(*)::int as n from private.telemetry_api_minutes')).rows[0]!.n;
  // The seeded past is behind the job's roll-up watermark: roll it up now (and time it).
  await admin.query('update private.telemetry_state set hours_rolled_until = null');
  const rollStarted = performance.now();
  await admin.query('select public.maintain_telemetry()');
  const rollMs = performance.now() - rollStarted;
  const hourRows = (await admin.query<{ n: number }>('select count(*)::int as n from private.telemetry_api_hours')).rows[0]!.n;
  emit({ bench: 'telemetry_dashboard', query: 'maintain_telemetry (rolls the seeded hours up)', api_rows: apiRows, hour_rows: hourRows, ms: +rollMs.toFixed(1) });

  const dashboardQueries = (range: number, step: number): Record<string, () => PromiseLike<{ error: unknown }>> => {
    const c = users[0]!.client;
    return {
      admin_health_now: () => c.rpc('admin_health', { range_seconds: 300, step_seconds: 300 }),
      admin_health: () => c.rpc('admin_health', { range_seconds: range, step_seconds: step }),
      admin_api_series: () => c.rpc('admin_api_series', { range_seconds: range, step_seconds: step }),
      admin_client_series: () => c.rpc('admin_client_series', { range_seconds: range, step_seconds: step }),
      admin_database_series: () => c.rpc('admin_database_series', { range_seconds: range, step_seconds: step }),
      admin_domain_series: () => c.rpc('admin_domain_series', { range_seconds: range, step_seconds: step }),
      admin_operations: () => c.rpc('admin_operations', { range_seconds: range }),
      admin_vendors: () => c.rpc('admin_vendors', { range_seconds: range }),
      admin_alerts: () => c.rpc('admin_alerts'),
      admin_recent_errors: () => c.rpc('admin_recent_errors', { max_rows: 50 }),
      admin_top_statements: () => c.rpc('admin_top_statements', { max_rows: 10 }),
    };
  };
  const checked = async (call: () => PromiseLike<{ error: unknown }>) => {
    const { error } = await call();
    if (error) throw new Error(JSON.stringify(error));
  };
  for (const [rangeLabel, range, step] of [['24h', 86_400, 3600], ['1h', 3600, 60]] as const) {
    const queries = dashboardQueries(range, step);
    for (const [query, call] of Object.entries(queries)) {
      if (rangeLabel === '1h' && !['admin_health', 'admin_api_series', 'admin_operations'].includes(query)) continue;
      const s = await measure({ concurrency: 1, count: DASHBOARD_RUNS, maxSeconds: MAX_SECONDS }, () => checked(call));
      emit({ bench: 'telemetry_dashboard', query, range: rangeLabel, step_seconds: step, operations: OPERATIONS, api_rows: apiRows, runs: s.count, errors: s.errors, p50_ms: s.p50_ms, p95_ms: s.p95_ms });
    }
    // As the page refreshes: every query at once.
    const s = await measure({ concurrency: 1, count: Math.ceil(DASHBOARD_RUNS / 2), maxSeconds: MAX_SECONDS * 2 }, async () => {
      await Promise.all(Object.values(queries).map(checked));
    });
    emit({ bench: 'telemetry_dashboard', query: 'whole refresh (all at once)', range: rangeLabel, step_seconds: step, operations: OPERATIONS, api_rows: apiRows, runs: s.count, errors: s.errors, p50_ms: s.p50_ms, p95_ms: s.p95_ms });
  }

  // 3. The SPA's per-call cost of the instrumentation.
  const apiUrl = stack.apiUrl;
  const page = '?vendor=6f1c2b7e-3c7a-4e8b-9c1d-2a3b4c5d6e7f';
  const collector = new TelemetryCollector({ send: async () => ({}), setTimer: (run, ms) => setTimeout(run, ms).unref() });
  const instrument = (base: typeof fetch) => instrumentFetch(base, (url, method) => describeRequest(url, method, apiUrl, page), (call) => collector.recordCall(call));
  const url = `${apiUrl}/rest/v1/product_availability?select=product_id,available&vendor_id=eq.6f1c2b7e-3c7a-4e8b-9c1d-2a3b4c5d6e7f&limit=1`;
  const inMemory = (status: number) => (async () => new Response(status === 200 ? null : '{"code":"insufficient_stock","message":"x"}', { status, headers: { 'x-request-id': 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' } })) as typeof fetch;
  const perCall = async (f: typeof fetch, calls: number) => {
    for (let i = 0; i < 2000; i++) await f(url, { method: 'GET' });
    const started = performance.now();
    for (let i = 0; i < calls; i++) await f(url, { method: 'GET' });
    return ((performance.now() - started) * 1000) / calls;
  };
  for (const status of [200, 409]) {
    const base = inMemory(status);
    const plain = await perCall(base, OVERHEAD_CALLS);
    const measured = await perCall(instrument(base), OVERHEAD_CALLS);
    emit({ bench: 'telemetry_spa_overhead', fetch: 'in-memory', status, calls: OVERHEAD_CALLS, plain_us: +plain.toFixed(3), instrumented_us: +measured.toFixed(3), overhead_us: +(measured - plain).toFixed(3) });
  }
  // Real requests, plain and instrumented alternately, so both meet the same machine.
  const instrumented = instrument(fetch);
  const headers = { apikey: stack.anonKey, authorization: `Bearer ${stack.anonKey}` };
  const real = { plain: [] as number[], instrumented: [] as number[] };
  const realDeadline = performance.now() + MAX_SECONDS * 1000;
  for (let i = 0; i < 4000 && performance.now() < realDeadline; i++) {
    const [name, f] = i % 2 === 0 ? (['plain', fetch] as const) : (['instrumented', instrumented] as const);
    const started = performance.now();
    const response = await f(url, { method: 'GET', headers });
    await response.arrayBuffer();
    real[name].push(performance.now() - started);
  }
  const at = (values: number[], p: number) => +percentile([...values].sort((a, b) => a - b), p).toFixed(3);
  emit({
    bench: 'telemetry_spa_overhead', fetch: 'stack REST (alternating)', calls: real.plain.length + real.instrumented.length,
    plain_p50_ms: at(real.plain, 50), instrumented_p50_ms: at(real.instrumented, 50), plain_p95_ms: at(real.plain, 95), instrumented_p95_ms: at(real.instrumented, 95),
  });
} finally {
  await direct.end();
  await admin.end();
  await stack.stop();
}
