// Load through the simulator (sim/): shoppers and vendor staff as supabase-js clients, every
// request recorded; afterwards the stock invariants are read from the database.
import { DEFAULT_VENDOR_PASSWORD, simOptions, startSimulator, type Simulator } from '../../sim/simulator.ts';
import type { SimSummary } from '../../sim/tally.ts';
import { stockInvariants, type StockInvariants } from '../db-state.ts';
import { withDb, type StackProcess } from '../stack-process.ts';
import { Recorder } from './recorder.ts';

export interface LoadOptions {
  shoppers: number;
  /** Vendor staff logins: the two demo owners, then verify.vendor.<n>@example.com members of either vendor. */
  vendors: number;
  /** Stock RPCs per second, all accounts together. */
  rate: number;
  log?: (line: string) => void;
}

const STAFF_PASSWORD = 'verify-vendor-password';

/** Staff accounts beyond the demo owners, members of Northwind and Harbor in turn, made through the Auth admin API. */
async function vendorLogins(stack: StackProcess, count: number): Promise<Array<{ email: string; password: string }>> {
  const logins = [
    { email: 'vendor.a@example.com', password: DEFAULT_VENDOR_PASSWORD },
    { email: 'vendor.b@example.com', password: DEFAULT_VENDOR_PASSWORD },
  ].slice(0, count);
  const vendorIds = await withDb(stack.dbUrl, async (db) =>
    (await db.query<{ vendor_id: string }>(`select m.vendor_id from public.vendor_members m join auth.users u on u.id = m.user_id
      where u.email in ('vendor.a@example.com', 'vendor.b@example.com') order by u.email`)).rows.map((r) => r.vendor_id));
  for (let i = logins.length; i < count; i++) {
    const email = `verify.vendor.${i + 1}@example.com`;
    const res = await fetch(`${stack.apiUrl}/auth/v1/admin/users`, {
      method: 'POST',
      headers: { apikey: stack.serviceRoleKey, authorization: `Bearer ${stack.serviceRoleKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: STAFF_PASSWORD, email_confirm: true }),
    });
    const user = (await res.json()) as { id?: string };
    if (res.ok && user.id) {
      await withDb(stack.dbUrl, (db) => db.query(`insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, 'staff') on conflict do nothing`, [vendorIds[i % vendorIds.length], user.id]));
    } else if (res.status !== 422) {
      throw new Error(`creating ${email} failed: ${res.status}`);
    }
    logins.push({ email, password: STAFF_PASSWORD });
  }
  return logins;
}

export interface LoadRun {
  recorder: Recorder;
  sim: Simulator;
  started: number;
  stop(): Promise<SimSummary>;
}

export async function startLoad(stack: StackProcess, opts: LoadOptions): Promise<LoadRun> {
  const recorder = new Recorder();
  const say = opts.log ?? (() => undefined);
  const sim = await startSimulator(simOptions({
    url: stack.apiUrl,
    anonKey: stack.anonKey,
    rate: opts.rate,
    shoppers: opts.shoppers,
    shopperPrefix: 'verify.shopper',
    vendorLogins: await vendorLogins(stack, opts.vendors),
    vendorOpsPerMinute: 30,
    summaryEverySeconds: 3600,
    fetch: recorder.wrap(),
    log: say,
  }));
  return { recorder, sim, started: performance.now(), stop: () => sim.stop() };
}

export interface LoadSummary {
  suite: string;
  shoppers: number;
  vendors: number;
  seconds: number;
  rate_target: number;
  ops: number;
  ops_per_s: number;
  http_5xx: number;
  http_429: number;
  network_errors: number;
  sim: Pick<SimSummary, 'expected' | 'expired' | 'unexpected' | 'oversell' | 'rate_limited' | 'network_retries' | 'unexpected_samples'>;
  invariants: StockInvariants;
  operations: ReturnType<Recorder['figures']>;
}

export async function summarize(stack: StackProcess, suite: string, opts: LoadOptions, run: LoadRun, final: SimSummary): Promise<LoadSummary> {
  const seconds = (performance.now() - run.started) / 1000;
  const invariants = await withDb(stack.dbUrl, (db) => stockInvariants(db));
  return {
    suite,
    shoppers: opts.shoppers,
    vendors: opts.vendors,
    seconds: Math.round(seconds),
    rate_target: opts.rate,
    ops: final.ops,
    ops_per_s: final.ops_per_s,
    http_5xx: run.recorder.countStatus('5'),
    http_429: run.recorder.countStatus('429'),
    network_errors: run.recorder.networkErrors,
    sim: {
      expected: final.expected,
      expired: final.expired,
      unexpected: final.unexpected,
      oversell: final.oversell,
      rate_limited: final.rate_limited,
      network_retries: final.network_retries,
      unexpected_samples: final.unexpected_samples,
    },
    invariants,
    operations: run.recorder.figures(),
  };
}
