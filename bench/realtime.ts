// Realtime fan-out: N subscribers, M committed changes per second, commit-to-client latency and the
// fraction of expected events delivered, for Postgres Changes under RLS and for Broadcast from the
// database (realtime.send); the raw replication lag (commit to decoded change in the stack) of the
// same run is the baseline. Subscribers are realtime-js clients (what supabase.channel() uses), one
// WebSocket each, in a worker thread so they do not share the stack's event loop.
// Prints one JSON line per result on stdout; progress on stderr.
import { subscribe as subscribeDiagnostics } from 'node:diagnostics_channel';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { RealtimeClient, type WebSocketLikeConstructor } from '@supabase/realtime-js';
import pg from 'pg';
import WebSocket from 'ws';
import { signJwt } from '../stack/jwt.ts';
import { BenchWorker, benchStack, emit, percentile, progress } from './harness.ts';

const list = (raw: string | undefined, fallback: number[]) => (raw ? raw.split(',').map(Number).filter((n) => n > 0) : fallback);
const SUBSCRIBERS = list(process.env.BENCH_RT_SUBSCRIBERS, [100, 500, 1000]);
const RATES = list(process.env.BENCH_RT_RATES, [10, 50]);
const WRITE_SECONDS = Number(process.env.BENCH_RT_SECONDS ?? 5);
const DRAIN_SECONDS = Number(process.env.BENCH_RT_DRAIN_SECONDS ?? 15);
const MAX_SECONDS = Number(process.env.BENCH_RT_MAX_SECONDS ?? 600);
const TENANTS = 10;
const JOIN_CONCURRENCY = 50;

const now = () => performance.timeOrigin + performance.now();

type Kind = 'postgres_changes_rls' | 'broadcast_from_db';
type ToWorker =
  | { type: 'connect'; url: string; apikey: string; tokens: string[]; kind: Kind; topic: string; run: string }
  | { type: 'count' }
  | { type: 'collect' }
  | { type: 'close' };
type FromWorker =
  | { type: 'ready'; subscribed: number; failed: number }
  | { type: 'count'; received: number }
  | { type: 'results'; seqs: Int32Array; times: Float64Array }
  | { type: 'closed' };

// ---------------------------------------------------------------------------------------------
// Worker: the subscribers.
async function runWorker(): Promise<void> {
  const port = parentPort!;
  let clients: RealtimeClient[] = [];
  let seqs: number[] = [];
  let times: number[] = [];
  const record = (seq: unknown) => {
    if (typeof seq !== 'number') return;
    times.push(now());
    seqs.push(seq);
  };
  const reply = (msg: FromWorker) => port.postMessage(msg);

  port.on('message', async (msg: ToWorker) => {
    if (msg.type === 'connect') {
      seqs = [];
      times = [];
      let subscribed = 0;
      let failed = 0;
      const join = async (token: string) => {
        const client = new RealtimeClient(msg.url, { params: { apikey: msg.apikey }, transport: WebSocket as unknown as WebSocketLikeConstructor, heartbeatIntervalMs: 25_000 });
        clients.push(client);
        await client.setAuth(token);
        let channel = client.channel(msg.topic);
        channel =
          msg.kind === 'postgres_changes_rls'
            ? channel.on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'bench_rt_stock', filter: `run=eq.${msg.run}` }, (p) => record((p.new as { seq?: number }).seq))
            : channel.on('broadcast', { event: 'tick' }, (m) => record((m.payload as { seq?: number }).seq));
        const status = await new Promise<string>((resolve) => {
          const timer = setTimeout(() => resolve('TIMED_OUT'), 30_000);
          channel.subscribe((s) => {
            if (s === 'SUBSCRIBED' || s === 'CHANNEL_ERROR' || s === 'TIMED_OUT') {
              clearTimeout(timer);
              resolve(s);
            }
          });
        });
        if (status === 'SUBSCRIBED') subscribed++;
        else failed++;
      };
      let next = 0;
      await Promise.all(Array.from({ length: JOIN_CONCURRENCY }, async () => {
        while (next < msg.tokens.length) await join(msg.tokens[next++]!);
      }));
      reply({ type: 'ready', subscribed, failed });
    } else if (msg.type === 'count') {
      reply({ type: 'count', received: seqs.length });
    } else if (msg.type === 'collect') {
      reply({ type: 'results', seqs: Int32Array.from(seqs), times: Float64Array.from(times) });
    } else if (msg.type === 'close') {
      await Promise.all(clients.map((c) => c.removeAllChannels().catch(() => undefined)));
      clients = [];
      reply({ type: 'closed' });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Main: the stack, the writer, the measurements.
const FIXTURE = `
  create table if not exists public.bench_rt_stock (
    id bigint generated always as identity primary key,
    run text not null,
    tenant int not null,
    seq int not null,
    qty int not null
  );
  alter table public.bench_rt_stock enable row level security;
  drop policy if exists "Tenant members read their stock" on public.bench_rt_stock;
  create policy "Tenant members read their stock" on public.bench_rt_stock
    for select to authenticated using (tenant = ((select auth.jwt()) ->> 'tenant')::int);
  grant select on public.bench_rt_stock to authenticated;
  alter publication supabase_realtime add table public.bench_rt_stock;
`;

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 100) / 100;
  return { p50_ms: r(percentile(sorted, 50)), p95_ms: r(percentile(sorted, 95)), p99_ms: r(percentile(sorted, 99)) };
}

async function runMain(): Promise<void> {
  const stack = await benchStack();
  progress(`stack at ${stack.apiUrl}`);
  const admin = new pg.Pool({ connectionString: stack.dbUrl, max: 4 });
  admin.on('error', () => undefined); // connections ending while the stack stops
  const worker = new BenchWorker<ToWorker, FromWorker>(import.meta.url, { subscribers: true });
  const started = Date.now();
  const decoded: Array<{ table: string; lag: number }> = [];
  const onDecoded = (m: unknown) => {
    const d = m as { table: string; commitTime: number; decodedAt: number };
    decoded.push({ table: d.table, lag: d.decodedAt - d.commitTime });
  };
  subscribeDiagnostics('stack:realtime:decoded', onDecoded);
  try {
    await admin.query(FIXTURE);
    const exp = Math.floor(Date.now() / 1000) + 3600;
    for (const kind of ['postgres_changes_rls', 'broadcast_from_db'] as Kind[]) {
      for (const n of SUBSCRIBERS) {
        for (const rate of RATES) {
          if ((Date.now() - started) / 1000 > MAX_SECONDS) {
            progress(`time budget of ${MAX_SECONDS}s spent; skipping ${kind} n=${n} rate=${rate}`);
            continue;
          }
          const run = `${kind}-${n}-${rate}-${Date.now()}`;
          const topic = `bench:${run}`;
          const tokens = Array.from({ length: n }, (_, i) =>
            signJwt({ role: 'authenticated', aud: 'authenticated', sub: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, tenant: i % TENANTS, exp }, stack.jwtSecret),
          );
          progress(`${kind}: connecting ${n} subscribers`);
          const t0 = now();
          const ready = await worker.ask<Extract<FromWorker, { type: 'ready' }>>({ type: 'connect', url: `${stack.apiUrl}/realtime/v1`, apikey: stack.anonKey, tokens, kind, topic, run });
          progress(`${kind}: ${ready.subscribed} subscribed, ${ready.failed} failed in ${Math.round(now() - t0)} ms; writing ${rate}/s for ${WRITE_SECONDS}s`);
          decoded.length = 0;

          const commits = new Map<number, { at: number; tenant: number }>();
          const total = rate * WRITE_SECONDS;
          const writeStart = now();
          for (let seq = 0; seq < total; seq++) {
            const due = writeStart + (seq * 1000) / rate;
            const wait = due - now();
            if (wait > 0) await new Promise((r) => setTimeout(r, wait));
            const tenant = seq % TENANTS;
            if (kind === 'postgres_changes_rls') {
              await admin.query('insert into public.bench_rt_stock (run, tenant, seq, qty) values ($1, $2, $3, $4)', [run, tenant, seq, seq % 100]);
            } else {
              await admin.query(`select realtime.send(jsonb_build_object('seq', $1::int), 'tick', $2, false)`, [seq, topic]);
            }
            commits.set(seq, { at: now(), tenant });
          }
          const writeSeconds = (now() - writeStart) / 1000;
          const perTenant = (t: number) => Math.floor(ready.subscribed / TENANTS) + (t < ready.subscribed % TENANTS ? 1 : 0);
          const expected = kind === 'postgres_changes_rls' ? [...commits.values()].reduce((sum, c) => sum + perTenant(c.tenant), 0) : total * ready.subscribed;

          const drainUntil = now() + DRAIN_SECONDS * 1000;
          let received = 0;
          while (now() < drainUntil) {
            received = (await worker.ask<Extract<FromWorker, { type: 'count' }>>({ type: 'count' })).received;
            if (received >= expected) break;
            await new Promise((r) => setTimeout(r, 250));
          }
          const results = await worker.ask<Extract<FromWorker, { type: 'results' }>>({ type: 'collect' });
          const latencies: number[] = [];
          for (let i = 0; i < results.seqs.length; i++) {
            const c = commits.get(results.seqs[i]!);
            if (c) latencies.push(results.times[i]! - c.at);
          }
          const table = kind === 'postgres_changes_rls' ? 'bench_rt_stock' : 'messages';
          const lags = decoded.filter((d) => d.table === table).map((d) => d.lag);
          const common = { subscribers: n, subscribed: ready.subscribed, rate_per_second: rate, achieved_rate: Math.round((total / writeSeconds) * 10) / 10, changes: total };
          emit({ bench: `realtime.${kind}`, ...common, expected, delivered: latencies.length, delivered_fraction: expected ? Math.round((latencies.length / expected) * 10_000) / 10_000 : 0, ...summary(latencies) });
          emit({ bench: 'realtime.replication_lag', scenario: kind, ...common, decoded: lags.length, ...summary(lags) });
          await worker.ask({ type: 'close' });
        }
      }
    }
  } finally {
    await worker.terminate();
    await admin.end();
    await stack.stop();
  }
}

if (isMainThread) await runMain();
else if ((workerData as { subscribers?: boolean } | null)?.subscribers) await runWorker();
