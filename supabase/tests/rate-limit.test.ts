import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { db, stack } from '../../stack/tests/support.ts';
import { createTenant, createUser, newKey, restock, type TestUser } from './helpers/fixtures.ts';
import { apiError, asCaller, serviceCaller, type Caller } from './helpers/sql.ts';

// The per-user limit of stock changes is enforced inside the limited functions
// (20261202004000_rate_limit_in_functions.sql), so it holds however the URL names the function:
// the old pre-request hook matched the still-encoded request.path, and `/rpc/reserve%5Fstock` ran
// unlimited.

const LIMITED = ['reserve_stock', 'release_reservation', 'checkout', 'adjust_stock', 'set_stock', 'extend_reservation', 'set_reservation_quantity'];

/** Uses up the user's allowance: their bucket's theoretical arrival time is two minutes ahead. */
async function exhaust(userId: string): Promise<void> {
  await db().query(
    `insert into private.rate_limits (caller, tat) values ($1, clock_timestamp() + interval '120 seconds')
     on conflict (caller) do update set tat = excluded.tat`,
    [userId],
  );
}

/** Calls public.<fn>() with no arguments as PostgREST would run a POST /rpc/<fn> (request.method set). */
const apiCall = (caller: Caller, fn: string, method: string | null = 'POST') =>
  asCaller(caller, async (c) => {
    if (method) await c.query(`select set_config('request.method', $1, true)`, [method]);
    await c.query(`select public.${fn}()`);
  });

async function reservationsOf(userId: string): Promise<number> {
  const { rows } = await db().query<{ n: number }>('select count(*)::int as n from public.reservations where customer_id = $1', [userId]);
  return rows[0]!.n;
}

const rateLimited = { code: 'rate_limited', message: 'Too many requests', details: 'at most 60 stock changes per 60 seconds' };

describe('rate limit inside the stock functions', () => {
  for (const fn of LIMITED) {
    it(`${fn} answers 429 rate_limited with Retry-After once the user's allowance is used, before anything else`, async () => {
      const user = await createUser();
      await exhaust(user.id);
      const err = await apiError(apiCall(user.caller, fn));
      expect({ code: err.code, status: err.status, message: err.message, details: err.details }).toEqual({ ...rateLimited, status: 429 });
      expect(Number(err.headers['Retry-After'])).toBeGreaterThanOrEqual(60);
    });
  }

  it('does not limit the service role, nor direct SQL sessions that are not API requests (the seed)', async () => {
    const t = await createTenant();
    await restock(t.productIds[0]!, t.locationIds[0]!, 5);
    const service = await asCaller(serviceCaller, async (c) => {
      await c.query(`select set_config('request.method', 'POST', true)`);
      const { rows } = await c.query(`select on_hand from public.adjust_stock($1, $2, 1, 'count', $3)`, [t.productIds[0], t.locationIds[0], newKey()]);
      return rows[0].on_hand;
    });
    expect(service).toBe(6);

    const shopper = await createUser();
    await exhaust(shopper.id);
    await asCaller(shopper.caller, (c) => c.query(`select public.reserve_stock($1, 1, $2)`, [t.productIds[0], newKey()]));
    expect(await reservationsOf(shopper.id)).toBe(1);
  });

  it('does not count reads, such as the cart', async () => {
    const shopper = await createUser();
    for (let i = 0; i < 70; i++) await asCaller(shopper.caller, async (c) => {
      await c.query(`select set_config('request.method', 'POST', true)`);
      await c.query('select * from public.cart_lines()');
    });
    const { rows } = await db().query('select count(*)::int as n from private.rate_limits where caller = $1', [shopper.id]);
    expect(rows[0].n).toBe(0);
  });
});

describe('rate limit over REST, however the function is spelled in the URL', () => {
  const SPELLINGS = ['reserve_stock', 'reserve%5Fstock', 'reserve%5fstock', '%72eserve_stock', '%72%65%73%65%72%76%65%5F%73%74%6F%63%6B'];

  async function shopperWithStock(): Promise<{ user: TestUser; productId: string }> {
    const t = await createTenant();
    await restock(t.productIds[0]!, t.locationIds[0]!, 50);
    return { user: await createUser(), productId: t.productIds[0]! };
  }

  const post = (token: string, fn: string, body: unknown) =>
    fetch(`${stack().apiUrl}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('each spelling runs reserve_stock (the router decodes the path) and counts once', async () => {
    const { user, productId } = await shopperWithStock();
    for (const fn of SPELLINGS) {
      const res = await post(user.token, fn, { product_id: productId, quantity: 1, idempotency_key: newKey() });
      expect({ fn, status: res.status }).toEqual({ fn, status: 200 });
    }
    expect(await reservationsOf(user.id)).toBe(SPELLINGS.length);
    // One request, one increment of the bucket (1 s at 60 per 60 s), not two.
    const { rows } = await db().query<{ ahead: number }>('select extract(epoch from tat - clock_timestamp())::float as ahead from private.rate_limits where caller = $1', [user.id]);
    expect(rows[0]!.ahead).toBeLessThan(SPELLINGS.length);
  });

  it('after a 429 on the plain path, every encoded spelling answers 429 too and reserves nothing (raw HTTP)', async () => {
    const { user, productId } = await shopperWithStock();
    await exhaust(user.id);
    for (const fn of SPELLINGS) {
      const res = await post(user.token, fn, { product_id: productId, quantity: 1, idempotency_key: newKey() });
      const body = await res.json();
      expect({ fn, status: res.status, body }).toEqual({ fn, status: 429, body: { ...rateLimited, hint: expect.stringMatching(/^Retry after \d+ seconds\.$/) } });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(60);
    }
    expect(await reservationsOf(user.id)).toBe(0);
  });

  it('after a 429, encoded spellings answer 429 through supabase-js, for shoppers and vendors alike', async () => {
    const { user, productId } = await shopperWithStock();
    const t = await createTenant();
    await restock(t.productIds[0]!, t.locationIds[0]!, 5);
    await Promise.all([exhaust(user.id), exhaust(t.owner.id)]);
    const client = (token: string) => createClient(stack().apiUrl, stack().anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
      accessToken: async () => token,
    });
    const shopper = client(user.token);
    for (const fn of SPELLINGS) {
      const { status, error } = await shopper.rpc(fn, { product_id: productId, quantity: 1, idempotency_key: newKey() });
      expect({ fn, status, code: error?.code }).toEqual({ fn, status: 429, code: 'rate_limited' });
    }
    expect(await reservationsOf(user.id)).toBe(0);

    const vendor = client(t.owner.token);
    for (const fn of ['adjust_stock', 'adjust%5Fstock', '%61djust_stock', 'set%5fstock']) {
      const args = fn.includes('set')
        ? { product_id: t.productIds[0], location_id: t.locationIds[0], on_hand: 1, expected_version: 1, idempotency_key: newKey() }
        : { product_id: t.productIds[0], location_id: t.locationIds[0], delta: 1, reason: 'x', idempotency_key: newKey() };
      const { status, error } = await vendor.rpc(fn, args);
      expect({ fn, status, code: error?.code }).toEqual({ fn, status: 429, code: 'rate_limited' });
    }
    const { rows } = await db().query<{ on_hand: number }>('select on_hand from public.inventory_levels where product_id = $1', [t.productIds[0]]);
    expect(rows.map((r) => r.on_hand)).toEqual([5]);
  });
});
