import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, db, serviceClient, stack, uniqueSuffix } from '../stack/tests/support.ts';
import { restock } from '../supabase/tests/helpers/fixtures.ts';
import { rpcRows, serviceCaller } from '../supabase/tests/helpers/sql.ts';
import { simOptions, startSimulator, type SimOptions } from './simulator.ts';
import type { SimSummary } from './tally.ts';

// The simulator against the test stack, on two vendors of its own (the seeded ones are read by
// seed.test.ts while this runs), at a high rate, with scarce stock so that refusals happen, short
// holds so that expiries happen, and one connection dropped after the server answered.

const PASSWORD = 'sim-test-password';

interface TestVendor {
  id: string;
  ownerEmail: string;
  ownerId: string;
}

async function vendorWithStock(suffix: string, label: string): Promise<TestVendor> {
  const ownerEmail = `sim-owner-${label}-${suffix}@example.com`;
  const { data, error } = await serviceClient().auth.admin.createUser({ email: ownerEmail, password: PASSWORD, email_confirm: true });
  if (error) throw error;
  const { rows: [vendor] } = await db().query<{ id: string }>(`insert into public.vendors (name) values ($1) returning id`, [`Sim test ${label} ${suffix}`]);
  await db().query(`insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, 'owner')`, [vendor!.id, data.user.id]);
  const { rows: locations } = await db().query<{ id: string }>(
    `insert into public.locations (vendor_id, name) select $1, 'Location ' || n from generate_series(1, 2) n returning id`,
    [vendor!.id],
  );
  const { rows: products } = await db().query<{ id: string }>(
    `insert into public.products (vendor_id, sku, name, price, low_stock_threshold)
     select $1, 'SIM-' || $2 || '-' || n, 'Sim product ' || n, 5 + n, 3 from generate_series(1, 4) n returning id`,
    [vendor!.id, label],
  );
  for (const [i, p] of products.entries()) for (const [j, l] of locations.entries()) await restock(p.id, l.id, 2 + ((i + j) % 3));
  return { id: vendor!.id, ownerEmail, ownerId: data.user.id };
}

const keyOf = (init: RequestInit | undefined) => (JSON.parse(String(init!.body)) as { idempotency_key: string }).idempotency_key;

/** The simulator on these vendors, worked by their owners, with fast deliveries and counts; its log lines go to `logs`. */
function simulate(vendors: TestVendor[], opts: { rate: number; shoppers: number; shopperPrefix: string; fetch: typeof fetch; logs: string[] } & Partial<SimOptions>) {
  const { logs, ...given } = opts;
  return startSimulator(simOptions({
    url: stack().apiUrl,
    anonKey: stack().anonKey,
    vendorIds: vendors.map((v) => v.id),
    vendorLogins: vendors.map((v) => ({ email: v.ownerEmail, password: PASSWORD })),
    shopperPassword: PASSWORD,
    vendor: { deliveryLagSeconds: [0, 1], countingSeconds: [0, 1] },
    vendorOpsPerMinute: 120,
    log: (line) => logs.push(line),
    ...given,
  }));
}

function done(s: SimSummary, retried: boolean): boolean {
  const ok = (op: keyof SimSummary['outcomes']) => (s.outcomes[op].ok ?? 0) > 0;
  return ok('reserve') && ok('release') && ok('checkout') && ok('adjust') && ok('count') && s.expired > 0 && (s.expected.insufficient_stock ?? 0) > 0 && retried;
}

describe('the traffic simulator', () => {
  const suffix = uniqueSuffix();
  let vendors: TestVendor[];
  beforeAll(async () => {
    vendors = [await vendorWithStock(suffix, 'a'), await vendorWithStock(suffix, 'b')];
  });

  it('reserves, releases, lets holds expire, checks out, restocks and counts, with no unexpected error and no oversell', async () => {
    // The vendor's owner is also signed in elsewhere (a browser): the simulator must not end that session.
    const browser = anonClient();
    expect((await browser.auth.signInWithPassword({ email: vendors[0]!.ownerEmail, password: PASSWORD })).error).toBeNull();

    // One reserve_stock reaches the server, which commits it, but its answer is lost.
    let droppedKey: string | undefined;
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!droppedKey && String(input).endsWith('/rest/v1/rpc/reserve_stock') && response.ok) {
        droppedKey = keyOf(init);
        await response.arrayBuffer();
        throw new TypeError('fetch failed: the test dropped the connection after the server answered');
      }
      return response;
    };

    const logs: string[] = [];
    const sim = await simulate(vendors, {
      rate: 40,
      shoppers: 10,
      shopperPrefix: `sim-test-${suffix}`,
      shopper: { abandonShare: 0.3, shortTtlSeconds: [1, 2], holdTtlSeconds: [30, 60] },
      fetch: lossy,
      logs,
    });
    expect([...sim.vendorIds].sort()).toEqual(vendors.map((v) => v.id).sort());
    expect(sim.desks.map((d) => d.email).sort()).toEqual(vendors.map((v) => v.ownerEmail).sort());

    const started = Date.now();
    while (Date.now() - started < 20_000 && (Date.now() - started < 3_000 || !done(sim.summary(), droppedKey !== undefined))) await delay(200);
    const stopAsked = performance.now();
    const summary = await sim.stop();
    const stopMs = performance.now() - stopAsked;
    console.log(JSON.stringify({ sim_test: { ...summary, stop_ms: Math.round(stopMs) } }));

    expect(summary.unexpected_samples, logs.join('\n')).toEqual([]);
    expect(summary.unexpected).toBe(0);
    expect(summary.oversell).toBe(0);
    expect(summary.rate_limited).toBe(0);
    for (const op of ['reserve', 'release', 'checkout', 'adjust', 'count'] as const) expect(summary.outcomes[op].ok ?? 0, op).toBeGreaterThan(0);
    expect(summary.expired).toBeGreaterThan(0);
    // Refusals are counted as outcomes, not thrown: the run went on and stopped cleanly.
    expect(summary.expected.insufficient_stock).toBeGreaterThan(0);
    expect(summary.outcomes.reserve.insufficient_stock).toBeGreaterThan(0);
    // Bounded by design: a second for calls in flight, then abort, then at most 1.5 s to close.
    expect(stopMs).toBeLessThan(10_000);

    // The dropped call went again with the same key and applied once.
    expect(droppedKey).toBeDefined();
    expect(summary.network_retries).toBeGreaterThanOrEqual(1);
    const { rows: [applied] } = await db().query(
      `select (select count(*)::int from public.stock_movements where idempotency_key = $1) as movements,
              (select count(*)::int from public.reservations r where r.id::text in (select reference from public.stock_movements where idempotency_key = $1)) as reservations`,
      [droppedKey],
    );
    expect(applied).toEqual({ movements: 1, reservations: 1 });

    // No oversell in the database: the ledger explains every counter, reserved is what the active
    // holds add up to, and at no point of the ledger did on hand go negative or below reserved.
    const ids = vendors.map((v) => v.id);
    expect((await rpcRows<{ vendor_id: string }>(serviceCaller, 'stock_drift_report')).filter((d) => ids.includes(d.vendor_id))).toEqual([]);
    const { rows: held } = await db().query(
      `select l.product_id, l.reserved, coalesce((select sum(quantity) from public.reservations r
         where r.product_id = l.product_id and r.location_id = l.location_id and r.status = 'active'), 0)::int as active
       from public.inventory_levels l where l.vendor_id = any ($1)`,
      [ids],
    );
    expect(held.length).toBe(16);
    for (const level of held) expect(level.reserved).toBe(level.active);
    const { rows: [ledger] } = await db().query(
      `select count(*)::int as movements, min(on_hand)::int as min_on_hand, min(on_hand - reserved)::int as min_available, min(reserved)::int as min_reserved
       from (select kind, sum(on_hand_delta) over w as on_hand, sum(reserved_delta) over w as reserved
             from public.stock_movements where vendor_id = any ($1)
             window w as (partition by product_id, location_id order by id)) running`,
      [ids],
    );
    expect(ledger.movements).toBeGreaterThan(16);
    expect(ledger.min_on_hand).toBeGreaterThanOrEqual(0);
    expect(ledger.min_reserved).toBeGreaterThanOrEqual(0);
    expect(ledger.min_available).toBeGreaterThanOrEqual(0);

    // Every change came through the API as the simulator's users, with sim- request ids.
    const { rows: [actors] } = await db().query(
      `select count(*) filter (where request_id like 'sim-%' and idempotency_key like 'sim-%')::int as by_sim,
              count(*) filter (where kind = 'expiry')::int as expiries, count(*)::int as total
       from public.stock_movements where vendor_id = any ($1) and reason is distinct from 'test restock'`,
      [ids],
    );
    expect(actors.by_sim + actors.expiries).toBe(actors.total);

    // It signed out its own sessions only: the owner's browser session lives on.
    const { rows: sessions } = await db().query(`select count(*)::int as n from auth.sessions where user_id = $1`, [vendors[0]!.ownerId]);
    expect(sessions[0].n).toBe(1);
    const refreshed = await browser.auth.refreshSession();
    expect(refreshed.error).toBeNull();
  }, 45_000);

  it('backs off on 429 for the Retry-After and sends the same call again, which then applies once', async () => {
    const vendor = await vendorWithStock(suffix, 'c');
    // Another client of the owner's login has just used up its limit: the next stock RPC is 2 s away.
    const { rows: [limited] } = await db().query<{ at: Date }>(
      `insert into private.rate_limits (caller, tat) values ($1, now() + interval '61 seconds') returning now() as at`,
      [vendor.ownerId],
    );
    const refusedKeys = new Set<string>();
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 429) refusedKeys.add(keyOf(init));
      return response;
    };
    const logs: string[] = [];
    const sim = await simulate([vendor], { rate: 10, shoppers: 2, shopperPrefix: `sim-test-429-${suffix}`, fetch: recording, logs });
    const started = Date.now();
    // Until the owner's login has made an adjustment (a count may change nothing and write no movement).
    const adjusted = (s: SimSummary) => (s.outcomes.adjust.ok ?? 0) > 0;
    while (Date.now() - started < 20_000 && !(sim.summary().rate_limited > 0 && adjusted(sim.summary()))) await delay(200);
    const summary = await sim.stop();

    expect(summary.unexpected_samples, logs.join('\n')).toEqual([]);
    expect(summary.rate_limited).toBeGreaterThanOrEqual(1);
    expect(refusedKeys.size).toBeGreaterThanOrEqual(1);
    expect(adjusted(summary)).toBe(true);
    // Each refused call went again with its key after the wait, and applied once (or was a count
    // that changed nothing, which writes no movement); none before the limit allowed it.
    const { rows } = await db().query(
      `select idempotency_key, count(*)::int as n, min(created_at) >= $2::timestamptz + interval '1.5 seconds' as after_wait
       from public.stock_movements where idempotency_key = any ($1) group by idempotency_key`,
      [[...refusedKeys], limited!.at],
    );
    for (const row of rows) expect(row).toMatchObject({ n: 1, after_wait: true });
    const { rows: [owner] } = await db().query(
      `select count(*)::int as n, bool_and(created_at >= $2::timestamptz + interval '1.5 seconds') as after_wait
       from public.stock_movements where vendor_id = $1 and actor_id = $3`,
      [vendor.id, limited!.at, vendor.ownerId],
    );
    expect(owner).toMatchObject({ after_wait: true });
    expect(owner.n).toBeGreaterThan(0);
  }, 45_000);
});
