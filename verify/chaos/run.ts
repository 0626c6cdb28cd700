// Chaos during load: kill -9 of the stack (restarted on the same data), then kill -9 of its
// postmaster (which the stack's supervision restarts). Checks that nothing acknowledged is lost,
// that replays of acknowledged calls apply nothing twice, that realtime clients rejoin and see
// changes again, and that no replication slot or postmaster is left behind.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { stockInvariants, type StockInvariants } from '../db-state.ts';
import type { AckedCall } from '../load/recorder.ts';
import { startLoad, type LoadOptions } from '../load/run.ts';
import { postgresProcessesFor, stackTraceLines, waitFor, withDb, type StackProcess } from '../stack-process.ts';
import { startProbes, type Probes } from './probes.ts';

const STOCK_RPCS = ['reserve_stock', 'release_reservation', 'checkout', 'adjust_stock', 'set_stock'];
const RECOVERY_TIMEOUT_MS = 60_000;
const REJOIN_TIMEOUT_MS = 20_000;

export interface CrashFigures {
  /** From kill -9 until the API answered again (health 200). */
  recovered_ms: number | undefined;
  /** From then until every realtime probe whose channel dropped had joined again. */
  rejoin_ms: number | undefined;
  /** Probes whose channel dropped (their socket closed) after the crash. */
  probes_dropped: number;
  /** From a stock change made right after recovery until every probe knew it (by its event, or by the snapshot read on rejoining). */
  resync_ms: number | undefined;
  /** Replication slots after recovery, and whether each is in use. */
  slots: Array<{ slot_name: string; active: boolean; temporary: boolean }>;
  /** Postmasters running on the data directory after recovery (expected: exactly one). */
  postmasters: number;
}

export interface ChaosSummary {
  suite: 'chaos';
  shoppers: number;
  vendors: number;
  seconds: number;
  stack_kill: CrashFigures;
  postgres_kill: CrashFigures;
  acked_calls: number;
  /** Acknowledged calls whose idempotency key (and result row) is not in the database. */
  lost: number;
  lost_samples: string[];
  replayed: number;
  /** Replays that did not return the stored result. */
  replay_mismatches: number;
  /** Ledger rows the replays added (must be 0). */
  replay_new_rows: number;
  http_500: number;
  http_5xx: number;
  network_errors: number;
  sim_unexpected: number;
  sim_oversell: number;
  invariants: StockInvariants;
  stack_trace_lines: number;
}

/**
 * A vendor of its own for the probes, which the simulator does not touch: so a change the suite
 * makes is the only change of its product, and its availability version says which change a
 * client has seen. Its owner is verify.probe@example.com.
 */
async function probeVendor(stack: StackProcess): Promise<{ vendorId: string; level: { product_id: string; location_id: string }; token: string }> {
  const email = 'verify.probe@example.com';
  const password = 'verify-probe-password';
  const res = await fetch(`${stack.apiUrl}/auth/v1/admin/users`, {
    method: 'POST',
    headers: { apikey: stack.serviceRoleKey, authorization: `Bearer ${stack.serviceRoleKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, email_confirm: true }),
  });
  const user = (await res.json()) as { id: string };
  if (!res.ok) throw new Error(`creating ${email} failed: ${res.status}`);
  const ids = await withDb(stack.dbUrl, async (db) => {
    const one = async (sql: string, params: unknown[]) => (await db.query<{ id: string }>(sql, params)).rows[0]!.id;
    const vendorId = await one(`insert into public.vendors (name) values ('Verify Probe Co') returning id`, []);
    await db.query(`insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, 'owner')`, [vendorId, user.id]);
    const locationId = await one(`insert into public.locations (vendor_id, name) values ($1, 'Probe shelf') returning id`, [vendorId]);
    const productId = await one(`insert into public.products (vendor_id, sku, name, price) values ($1, 'PROBE-1', 'Probe', 1) returning id`, [vendorId]);
    return { vendorId, level: { product_id: productId, location_id: locationId } };
  });
  const signIn = await fetch(`${stack.apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { ...ids, token: ((await signIn.json()) as { access_token: string }).access_token };
}

/** +1 received at the probe vendor's level (retried while the stack comes back): when it was made and the product's version after it. */
async function makeChange(stack: StackProcess, level: { product_id: string; location_id: string }, token: string): Promise<{ since: number; version: number }> {
  const client = createClient(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    global: { headers: { authorization: `Bearer ${token}` } },
  });
  const since = performance.now();
  for (let attempt = 0; attempt < 20; attempt++) {
    const { data, error } = await client.rpc('adjust_stock', { ...level, delta: 1, reason: 'received', idempotency_key: `verify-chaos-${randomUUID()}` });
    // One level: the product's availability version is the level's version.
    if (!error) return { since, version: Number(data.version) };
    await delay(500);
  }
  throw new Error('adjust_stock did not succeed within 10 s after recovery');
}

async function afterCrash(stack: StackProcess, probes: Probes, killedAt: number, change: () => Promise<{ since: number; version: number }>): Promise<CrashFigures> {
  const recovered = await waitFor(async () => (await stack.health(1000)) === 200, RECOVERY_TIMEOUT_MS);
  const back = performance.now();
  const rejoin = await probes.rejoined(killedAt, back, REJOIN_TIMEOUT_MS);
  const { since, version } = await change();
  const resync = await probes.sawVersion(version, since, REJOIN_TIMEOUT_MS);
  const slots = await withDb(stack.dbUrl, async (db) => (await db.query<CrashFigures['slots'][number]>('select slot_name, active, temporary from pg_replication_slots order by 1')).rows);
  return {
    recovered_ms: recovered === undefined ? undefined : Math.round(back - killedAt),
    rejoin_ms: rejoin.ms,
    probes_dropped: rejoin.dropped,
    resync_ms: resync,
    slots,
    postmasters: (await postgresProcessesFor(stack.dataDir)).length,
  };
}

/** Every acknowledged stock RPC must be in the idempotency ledger, its reservation or order too. */
async function lostCalls(stack: StackProcess, acked: AckedCall[]): Promise<string[]> {
  return withDb(stack.dbUrl, async (db) => {
    const keys = (await db.query<{ key: string }>('select key from private.idempotency_keys where key = any($1)', [acked.map((a) => a.key)])).rows;
    const present = new Set(keys.map((k) => k.key));
    const reservations = new Set((await db.query<{ id: string }>('select id::text from public.reservations where id = any($1::uuid[])', [acked.filter((a) => a.fn === 'reserve_stock' && a.resultId).map((a) => a.resultId)])).rows.map((r) => r.id));
    const orders = new Set((await db.query<{ id: string }>('select id::text from public.orders where id = any($1::uuid[])', [acked.filter((a) => a.fn === 'checkout' && a.resultId).map((a) => a.resultId)])).rows.map((r) => r.id));
    return acked
      .filter((a) => !present.has(a.key) || (a.fn === 'reserve_stock' && a.resultId && !reservations.has(a.resultId)) || (a.fn === 'checkout' && a.resultId && !orders.has(a.resultId)))
      .map((a) => `${a.fn} ${a.key}`);
  });
}

/** Ledger rows (movements, reservations, orders) a set of replays could add. */
async function ledgerCounts(stack: StackProcess, keys: string[]): Promise<number> {
  return withDb(stack.dbUrl, async (db) => {
    const { rows } = await db.query<{ n: string }>(
      `select (select count(*) from public.stock_movements where idempotency_key = any($1)) + (select count(*) from public.reservations) + (select count(*) from public.orders) as n`,
      [keys],
    );
    return Number(rows[0]!.n);
  });
}

/** Sends acknowledged calls again, with the same token, arguments and key: the stored result must come back. */
async function replay(stack: StackProcess, calls: AckedCall[]): Promise<{ mismatches: number; newRows: number }> {
  // Replays count against the per-user limit like any call: lifted for them, then put back.
  const limit = await withDb(stack.dbUrl, async (db) => (await db.query<{ max_requests: number }>('select max_requests from private.rate_limit_settings')).rows[0]!.max_requests);
  await withDb(stack.dbUrl, (db) => db.query('update private.rate_limit_settings set max_requests = 1000000'));
  const before = await ledgerCounts(stack, calls.map((c) => c.key));
  let mismatches = 0;
  for (const call of calls) {
    const res = await fetch(`${stack.apiUrl}/rest/v1/rpc/${call.fn}`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, authorization: call.authorization, 'content-type': 'application/json' },
      body: call.body,
    });
    const result = (await res.json().catch(() => null)) as { id?: string } | null;
    if (!res.ok || (call.resultId && result?.id !== call.resultId)) mismatches++;
  }
  const after = await ledgerCounts(stack, calls.map((c) => c.key));
  await withDb(stack.dbUrl, (db) => db.query('update private.rate_limit_settings set max_requests = $1', [limit]));
  return { mismatches, newRows: after - before };
}

/** The last lines of a log that are not request lines. */
export const logTail = (log: string, lines = 60) =>
  log.split('\n').filter((l) => l.trim() && !/^\S+ \S+ (GET|POST|HEAD|PUT|PATCH|DELETE|OPTIONS) \//.test(l)).slice(-lines).join('\n');

const sample = <T>(items: T[], n: number) => [...items].sort(() => Math.random() - 0.5).slice(0, n);

export async function runChaos(stack: StackProcess, opts: LoadOptions & { phaseSeconds: number; probes: number }): Promise<ChaosSummary> {
  const say = opts.log ?? (() => undefined);
  const started = performance.now();
  const logStart = stack.log().length;
  const { vendorId, level, token } = await probeVendor(stack);
  const change = () => makeChange(stack, level, token);
  await change();

  const probes = await startProbes(stack.apiUrl, stack.anonKey, vendorId, level.product_id, opts.probes);
  // The simulator's calls that outlast their retries while the stack is down are expected here: counted, not printed.
  const run = await startLoad(stack, { ...opts, log: (line) => line.startsWith('UNEXPECTED') || say(`sim: ${line}`) });
  try {
    await delay(opts.phaseSeconds * 1000);
    say(`chaos: kill -9 of the stack (pid ${stack.pid()}) after ${run.recorder.acked.length} acknowledged calls`);
    let killedAt = performance.now();
    await stack.kill9();
    await stack.restart();
    const stackKill = await afterCrash(stack, probes, killedAt, change);
    say(`chaos: stack back: ${JSON.stringify(stackKill)}`);

    await delay(opts.phaseSeconds * 1000);
    const postmaster = stack.postmasterPid();
    say(`chaos: kill -9 of the postmaster (pid ${postmaster})`);
    killedAt = performance.now();
    if (postmaster) process.kill(postmaster, 'SIGKILL');
    // Let the stack notice before asking it (its pools answer 503 meanwhile).
    await waitFor(async () => (await stack.health(1000)) !== 200, 5_000);
    const postgresKill = await afterCrash(stack, probes, killedAt, change);
    say(`chaos: postgres back: ${JSON.stringify(postgresKill)}`);
    await delay(opts.phaseSeconds * 1000);

    const final = await run.stop();
    await probes.stop();
    const acked = run.recorder.acked.filter((a) => STOCK_RPCS.includes(a.fn));
    const lost = await lostCalls(stack, acked);
    const toReplay = sample(acked, 60);
    const { mismatches, newRows } = await replay(stack, toReplay);
    await delay(100);
    return {
      suite: 'chaos',
      shoppers: opts.shoppers,
      vendors: opts.vendors,
      seconds: Math.round((performance.now() - started) / 1000),
      stack_kill: stackKill,
      postgres_kill: postgresKill,
      acked_calls: acked.length,
      lost: lost.length,
      lost_samples: lost.slice(0, 5),
      replayed: toReplay.length,
      replay_mismatches: mismatches,
      replay_new_rows: newRows,
      http_500: run.recorder.countStatus('500'),
      http_5xx: run.recorder.countStatus('5'),
      network_errors: run.recorder.networkErrors,
      sim_unexpected: final.unexpected,
      sim_oversell: final.oversell,
      invariants: await withDb(stack.dbUrl, (db) => stockInvariants(db)),
      stack_trace_lines: stackTraceLines(stack.log().slice(logStart)).length,
    };
  } catch (err) {
    await run.stop().catch(() => undefined);
    await probes.stop();
    say(`chaos failed; the stack's log (without request lines) ends with:\n${logTail(stack.log().slice(logStart))}`);
    throw err;
  }
}
