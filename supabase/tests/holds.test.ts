import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { addMember, createAdmin, createTenant, createUser, driftOf, levelsOf, newKey, restock, type Tenant } from './helpers/fixtures.ts';
import { anonCaller, apiError, rpc, serviceCaller, type Caller } from './helpers/sql.ts';

// extend_reservation ("keep holding") and set_reservation_quantity (change a cart line in place).

interface Reservation {
  id: string;
  product_id: string;
  location_id: string;
  quantity: number;
  status: string;
  expires_at: string;
  extension_count: number;
  version: number;
}

async function stocked(quantities: number[], opts: { ttlSeconds?: number; maxExtensions?: number } = {}): Promise<Tenant> {
  const t = await createTenant({ locations: quantities.length, ...(opts.ttlSeconds ? { ttlSeconds: opts.ttlSeconds } : {}) });
  if (opts.maxExtensions !== undefined) await db().query('update public.vendors set max_reservation_extensions = $2 where id = $1', [t.vendorId, opts.maxExtensions]);
  for (const [i, q] of quantities.entries()) if (q > 0) await restock(t.productIds[0]!, t.locationIds[i]!, q);
  return t;
}

const reserve = (caller: Caller, productId: string, quantity: number, ttlSeconds = 600) =>
  rpc<Reservation>(caller, 'reserve_stock', { product_id: productId, quantity, idempotency_key: newKey(), ttl_seconds: ttlSeconds });
const extend = (caller: Caller, id: string, extra: Record<string, unknown> = {}) =>
  rpc<Reservation>(caller, 'extend_reservation', { reservation_id: id, idempotency_key: newKey(), ...extra });
const setQuantity = (caller: Caller, id: string, quantity: number | null, key = newKey()) =>
  rpc<Reservation>(caller, 'set_reservation_quantity', { reservation_id: id, quantity, idempotency_key: key });

const secondsLeft = (r: Reservation) => (Date.parse(r.expires_at) - Date.now()) / 1000;

async function movements(reservationId: string) {
  const { rows } = await db().query<{ kind: string; reserved_delta: number; reason: string }>(
    'select kind, reserved_delta, reason from public.stock_movements where reference = $1 order by id',
    [reservationId],
  );
  return rows;
}

describe('extend_reservation', () => {
  it('pushes the expiry to now + the TTL (capped by the vendor), counts the extension and moves no stock', async () => {
    const t = await stocked([5], { ttlSeconds: 120 });
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 2, 30);
    expect(secondsLeft(held)).toBeLessThan(31);

    const { data: extended, headers } = await extend(shopper.caller, held.id, { ttl_seconds: 3600 });
    expect(headers['Idempotent-Replayed']).toBeUndefined();
    expect(extended).toMatchObject({ id: held.id, status: 'active', quantity: 2, extension_count: 1, version: held.version + 1 });
    expect(secondsLeft(extended)).toBeGreaterThan(115);
    expect(secondsLeft(extended)).toBeLessThan(121);
    expect(await movements(held.id)).toEqual([{ kind: 'reservation', reserved_delta: 2, reason: null }]);
    expect((await levelsOf(t.productIds[0]!)).map((l) => l.reserved)).toEqual([2]);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('never shortens a hold: a shorter TTL than what is left keeps the current expiry', async () => {
    const t = await stocked([5]);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 1, 600);
    const { data: extended } = await extend(shopper.caller, held.id, { ttl_seconds: 60 });
    expect(extended.expires_at).toBe(held.expires_at);
    expect(extended.extension_count).toBe(1);
  });

  it('replays the same key without a second extension; the same key with other arguments is 422', async () => {
    const t = await stocked([5], { maxExtensions: 1 });
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 1);
    const key = newKey();
    const first = await extend(shopper.caller, held.id, { idempotency_key: key });
    const replay = await extend(shopper.caller, held.id, { idempotency_key: key });
    expect(replay.data).toEqual(first.data);
    expect(replay.headers['Idempotent-Replayed']).toBe('true');
    const { rows } = await db().query('select extension_count from public.reservations where id = $1', [held.id]);
    expect(rows[0].extension_count).toBe(1);
    const reused = await apiError(extend(shopper.caller, held.id, { idempotency_key: key, ttl_seconds: 30 }));
    expect({ code: reused.code, status: reused.status }).toEqual({ code: 'idempotency_key_reused', status: 422 });
  });

  it("stops at the vendor's limit with 409 extension_limit_reached, and a vendor with 0 never extends", async () => {
    const t = await stocked([5], { maxExtensions: 2 });
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 1);
    await extend(shopper.caller, held.id);
    await extend(shopper.caller, held.id);
    const err = await apiError(extend(shopper.caller, held.id));
    expect({ code: err.code, status: err.status, message: err.message, details: err.details, hint: err.hint }).toEqual({
      code: 'extension_limit_reached', status: 409, message: 'This hold cannot be extended again',
      details: `the vendor allows 2 extensions per hold; reservation ${held.id} has had 2`,
      hint: 'Check out before it expires, or reserve again once it has.',
    });

    const never = await stocked([5], { maxExtensions: 0 });
    const { data: other } = await reserve(shopper.caller, never.productIds[0]!, 1);
    const refused = await apiError(extend(shopper.caller, other.id));
    expect({ code: refused.code, details: refused.details }).toEqual({
      code: 'extension_limit_reached', details: `the vendor allows 0 extensions per hold; reservation ${other.id} has had 0`,
    });
    const { rows } = await db().query('select extension_count from public.reservations where id = any ($1)', [[held.id, other.id]]);
    expect(rows.map((r) => r.extension_count).sort()).toEqual([0, 2]);
  });

  it('refuses a hold that lapsed, was released or was checked out, with 409 and no change', async () => {
    const t = await stocked([5]);
    const shopper = await createUser();
    const { data: short } = await reserve(shopper.caller, t.productIds[0]!, 1, 1);
    await new Promise((r) => setTimeout(r, 1100));
    const lapsed = await apiError(extend(shopper.caller, short.id));
    // Past its time in place, or already swept by the stack's sweeper.
    expect(lapsed.status).toBe(409);
    expect(['reservation_expired', 'reservation_not_active']).toContain(lapsed.code);

    const { data: released } = await reserve(shopper.caller, t.productIds[0]!, 1);
    await rpc(shopper.caller, 'release_reservation', { reservation_id: released.id, idempotency_key: newKey() });
    const notActive = await apiError(extend(shopper.caller, released.id));
    expect({ code: notActive.code, status: notActive.status, details: notActive.details }).toEqual({
      code: 'reservation_not_active', status: 409, details: `reservation ${released.id} is released`,
    });

    const { data: bought } = await reserve(shopper.caller, t.productIds[0]!, 1);
    await rpc(shopper.caller, 'checkout', { reservation_ids: [bought.id], idempotency_key: newKey() });
    expect((await apiError(extend(shopper.caller, bought.id))).details).toBe(`reservation ${bought.id} is committed`);
  });

  it('checks its arguments with 400s', async () => {
    const shopper = await createUser();
    const missing = await apiError(rpc(shopper.caller, 'extend_reservation', { idempotency_key: newKey() }));
    expect({ code: missing.code, status: missing.status, message: missing.message }).toEqual({ code: 'invalid_argument', status: 400, message: 'reservation_id is required' });
    const ttl = await apiError(extend(shopper.caller, '00000000-0000-4000-8000-000000000000', { ttl_seconds: 0 }));
    expect({ code: ttl.code, details: ttl.details }).toEqual({ code: 'invalid_argument', details: 'ttl_seconds is 0' });
    const key = await apiError(rpc(shopper.caller, 'extend_reservation', { reservation_id: '00000000-0000-4000-8000-000000000000' }));
    expect({ code: key.code, status: key.status }).toEqual({ code: 'idempotency_key_required', status: 400 });
  });
});

describe('set_reservation_quantity', () => {
  it('holds more at the same location, keeping the expiry, and records the difference', async () => {
    const t = await stocked([3, 6]);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 2);
    expect(held.location_id).toBe(t.locationIds[1]);
    const { data: more } = await setQuantity(shopper.caller, held.id, 5);
    expect(more).toMatchObject({ id: held.id, location_id: t.locationIds[1], quantity: 5, status: 'active', expires_at: held.expires_at });
    const { data: fewer } = await setQuantity(shopper.caller, held.id, 1);
    expect(fewer.quantity).toBe(1);
    const levels = await levelsOf(t.productIds[0]!);
    expect(levels.find((l) => l.location_id === t.locationIds[1])).toMatchObject({ on_hand: 6, reserved: 1, available: 5 });
    expect(await movements(held.id)).toEqual([
      { kind: 'reservation', reserved_delta: 2, reason: null },
      { kind: 'reservation', reserved_delta: 3, reason: 'hold quantity changed' },
      { kind: 'release', reserved_delta: -4, reason: 'hold quantity changed' },
    ]);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it("answers 409 insufficient_stock with the most this line can hold at its location, changing nothing", async () => {
    const t = await stocked([4, 7]);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 3);
    const err = await apiError(setQuantity(shopper.caller, held.id, 9));
    expect({ code: err.code, status: err.status, message: err.message, details: err.details }).toEqual({
      code: 'insufficient_stock', status: 409, message: 'Not enough stock available', details: 'requested 9, at most 7 available at one location',
    });
    const { rows } = await db().query('select quantity from public.reservations where id = $1', [held.id]);
    expect(rows[0].quantity).toBe(3);
    expect((await levelsOf(t.productIds[0]!)).map((l) => l.reserved).sort()).toEqual([0, 3]);
  });

  it("counts other shoppers' lapsed holds as available, as reserve_stock does", async () => {
    const t = await stocked([4]);
    const [shopper, other] = await Promise.all([createUser(), createUser()]);
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 1);
    const { data: lapsing } = await reserve(other.caller, t.productIds[0]!, 3, 1);
    await new Promise((r) => setTimeout(r, 1100));
    const { data } = await setQuantity(shopper.caller, held.id, 4);
    expect(data.quantity).toBe(4);
    const { rows } = await db().query('select status from public.reservations where id = $1', [lapsing.id]);
    expect(rows[0].status).toBe('expired');
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('the same quantity changes nothing; replays and key reuse follow the idempotency policy', async () => {
    const t = await stocked([5]);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 2);
    const { data: same } = await setQuantity(shopper.caller, held.id, 2);
    expect(same).toEqual(held);
    const key = newKey();
    const first = await setQuantity(shopper.caller, held.id, 4, key);
    const replay = await setQuantity(shopper.caller, held.id, 4, key);
    expect(replay.data).toEqual(first.data);
    expect(replay.headers['Idempotent-Replayed']).toBe('true');
    expect((await levelsOf(t.productIds[0]!))[0]!.reserved).toBe(4);
    const reused = await apiError(setQuantity(shopper.caller, held.id, 3, key));
    expect({ code: reused.code, status: reused.status }).toEqual({ code: 'idempotency_key_reused', status: 422 });
  });

  it('refuses bad quantities and holds that are no longer active', async () => {
    const t = await stocked([5]);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 2);
    for (const quantity of [0, -1, null]) {
      const err = await apiError(setQuantity(shopper.caller, held.id, quantity));
      expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: 'invalid_quantity', status: 400, message: 'quantity must be a positive integer' });
    }
    await rpc(shopper.caller, 'release_reservation', { reservation_id: held.id, idempotency_key: newKey() });
    const err = await apiError(setQuantity(shopper.caller, held.id, 1));
    expect({ code: err.code, status: err.status, details: err.details }).toEqual({ code: 'reservation_not_active', status: 409, details: `reservation ${held.id} is released` });

    const { data: short } = await reserve(shopper.caller, t.productIds[0]!, 1, 1);
    await new Promise((r) => setTimeout(r, 1100));
    expect(['reservation_expired', 'reservation_not_active']).toContain((await apiError(setQuantity(shopper.caller, short.id, 2))).code);
    expect((await levelsOf(t.productIds[0]!))[0]!.on_hand).toBe(5);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('concurrent growth of two holds never takes more than the shelf has', async () => {
    const t = await stocked([6]);
    const [a, b] = await Promise.all([createUser(), createUser()]);
    const { data: ha } = await reserve(a.caller, t.productIds[0]!, 1);
    const { data: hb } = await reserve(b.caller, t.productIds[0]!, 1);
    const results = await Promise.allSettled([setQuantity(a.caller, ha.id, 5), setQuantity(b.caller, hb.id, 5)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [level] = await levelsOf(t.productIds[0]!);
    expect(level).toMatchObject({ on_hand: 6, reserved: 6, available: 0 });
    expect(await driftOf([t.vendorId])).toEqual([]);
  });
});

describe('who may change a hold', () => {
  const calls: Record<string, (caller: Caller, id: string) => Promise<unknown>> = {
    extend_reservation: (caller, id) => extend(caller, id),
    set_reservation_quantity: (caller, id) => setQuantity(caller, id, 3),
  };
  for (const [fn, call] of Object.entries(calls)) {
    it(`${fn}: only the shopper who holds it; 404 for everyone else, 401/403 for anon and the service role, changing nothing`, async () => {
      const t = await stocked([5]);
      const [shopper, stranger, admin, otherVendor] = await Promise.all([createUser(), createUser(), createAdmin(), createTenant()]);
      const staff = await addMember(t.vendorId);
      const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 1);
      for (const who of [stranger, t.owner, staff, otherVendor.owner, admin]) {
        const err = await apiError(call(who.caller, held.id));
        expect({ code: err.code, status: err.status, details: err.details }).toEqual({
          code: 'reservation_not_found', status: 404, details: `reservation ${held.id} does not exist or is not yours`,
        });
      }
      for (const [caller, status] of [[anonCaller, 401], [serviceCaller, 403]] as const) {
        const err = await apiError(call(caller, held.id));
        expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: '42501', status, message: `permission denied for function ${fn}` });
      }
      const { rows } = await db().query('select quantity, extension_count, expires_at, version::int from public.reservations where id = $1', [held.id]);
      expect(rows[0]).toEqual({ quantity: 1, extension_count: 0, expires_at: new Date(held.expires_at), version: held.version });
      expect((await levelsOf(t.productIds[0]!))[0]!.reserved).toBe(1);
      await call(shopper.caller, held.id);
    });
  }
});

// The rate limit of these functions: rate-limit.test.ts.
