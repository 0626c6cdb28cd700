import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { createTenant, createUser, driftOf, levelsOf, newKey, restock, type TestUser } from './helpers/fixtures.ts';
import { anonCaller, apiError, rpc, type Caller } from './helpers/sql.ts';

interface Reservation {
  id: string;
  product_id: string;
  location_id: string;
  customer_id: string;
  vendor_id: string;
  quantity: number;
  status: string;
  expires_at: string;
  order_id: string | null;
  version: number;
}

interface Order {
  id: string;
  vendor_id: string;
  customer_id: string;
  status: string;
  total: number;
  item_count: number;
}

const reserve = (caller: Caller, productId: string, quantity: number, extra: Record<string, unknown> = {}) =>
  rpc<Reservation>(caller, 'reserve_stock', { product_id: productId, quantity, idempotency_key: newKey(), ...extra });
const release = (caller: Caller, id: string) => rpc<Reservation>(caller, 'release_reservation', { reservation_id: id, idempotency_key: newKey() });
const checkout = (caller: Caller, ids: string[]) => rpc<Order>(caller, 'checkout', { reservation_ids: ids, idempotency_key: newKey() });

async function stockedTenant(quantities: number[], opts: { price?: number; ttlSeconds?: number } = {}) {
  const t = await createTenant({ locations: quantities.length, ...opts });
  for (const [i, q] of quantities.entries()) if (q > 0) await restock(t.productIds[0]!, t.locationIds[i]!, q);
  return t;
}

describe('reserve_stock', () => {
  it('reserves at the location with the most available stock and records the movement', async () => {
    const t = await stockedTenant([3, 8]);
    const shopper = await createUser();
    const started = Date.now();
    const { data } = await reserve(shopper.caller, t.productIds[0]!, 5);
    expect(data).toMatchObject({ product_id: t.productIds[0], location_id: t.locationIds[1], customer_id: shopper.id, vendor_id: t.vendorId, quantity: 5, status: 'active', order_id: null, version: 1 });
    const ttl = (Date.parse(data.expires_at) - started) / 1000;
    expect(ttl).toBeGreaterThan(595);
    expect(ttl).toBeLessThan(605);
    const levels = await levelsOf(t.productIds[0]!);
    const at = (locationId: string) => levels.find((l) => l.location_id === locationId)!;
    expect([at(t.locationIds[0]!), at(t.locationIds[1]!)].map((l) => [l.on_hand, l.reserved, l.available])).toEqual([[3, 0, 3], [8, 5, 3]]);
    const { rows } = await db().query('select kind, reserved_delta, reference, actor_id from public.stock_movements where product_id = $1 and kind = $2', [t.productIds[0], 'reservation']);
    expect(rows).toEqual([{ kind: 'reservation', reserved_delta: 5, reference: data.id, actor_id: shopper.id }]);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('is all-or-nothing at one location: 409 insufficient_stock when no single location has enough', async () => {
    const t = await stockedTenant([3, 4]);
    const shopper = await createUser();
    const err = await apiError(reserve(shopper.caller, t.productIds[0]!, 5));
    expect({ code: err.code, status: err.status, message: err.message, details: err.details }).toEqual({
      code: 'insufficient_stock', status: 409, message: 'Not enough stock available', details: 'requested 5, at most 4 available at one location',
    });
    expect((await levelsOf(t.productIds[0]!)).map((l) => l.reserved)).toEqual([0, 0]);
    const { rows } = await db().query('select count(*)::int as n from public.reservations where product_id = $1', [t.productIds[0]]);
    expect(rows[0].n).toBe(0);
  });

  it('answers 409 insufficient_stock for a product without stock rows', async () => {
    const t = await createTenant();
    const shopper = await createUser();
    const err = await apiError(reserve(shopper.caller, t.productIds[0]!, 1));
    expect({ code: err.code, details: err.details }).toEqual({ code: 'insufficient_stock', details: 'requested 1, at most 0 available at one location' });
  });

  it('caps the TTL at the vendor setting and rejects TTLs out of range', async () => {
    const t = await stockedTenant([5], { ttlSeconds: 120 });
    const shopper = await createUser();
    const started = Date.now();
    const { data } = await reserve(shopper.caller, t.productIds[0]!, 1, { ttl_seconds: 3600 });
    const ttl = (Date.parse(data.expires_at) - started) / 1000;
    expect(ttl).toBeGreaterThan(115);
    expect(ttl).toBeLessThan(125);
    for (const ttlSeconds of [0, -5, 86401, null]) {
      const err = await apiError(reserve(shopper.caller, t.productIds[0]!, 1, { ttl_seconds: ttlSeconds }));
      expect({ code: err.code, status: err.status }).toEqual({ code: 'invalid_argument', status: 400 });
    }
  });

  it('answers 400 invalid_quantity for a quantity that is not positive', async () => {
    const t = await stockedTenant([5]);
    const shopper = await createUser();
    for (const quantity of [0, -1, null]) {
      const err = await apiError(reserve(shopper.caller, t.productIds[0]!, quantity as number));
      expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: 'invalid_quantity', status: 400, message: 'quantity must be a positive integer' });
    }
  });

  it('answers 404 product_not_found for unknown and inactive products', async () => {
    const t = await stockedTenant([5]);
    const shopper = await createUser();
    await db().query('update public.products set active = false where id = $1', [t.productIds[0]]);
    for (const id of [t.productIds[0]!, '00000000-0000-4000-8000-000000000000']) {
      const err = await apiError(reserve(shopper.caller, id, 1));
      expect({ code: err.code, status: err.status }).toEqual({ code: 'product_not_found', status: 404 });
    }
  });

  it('refuses anon with 401 (no execute privilege)', async () => {
    const t = await stockedTenant([5]);
    const err = await apiError(reserve(anonCaller, t.productIds[0]!, 1));
    expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: '42501', status: 401, message: 'permission denied for function reserve_stock' });
  });
});

describe('release_reservation', () => {
  it('releases an active reservation, frees the stock, and refuses a second release with 409', async () => {
    const t = await stockedTenant([5]);
    const shopper = await createUser();
    const { data: r } = await reserve(shopper.caller, t.productIds[0]!, 2);
    const { data: released } = await release(shopper.caller, r.id);
    expect(released).toMatchObject({ id: r.id, status: 'released', version: 2 });
    expect((await levelsOf(t.productIds[0]!))[0]).toMatchObject({ on_hand: 5, reserved: 0 });
    const again = await apiError(release(shopper.caller, r.id));
    expect({ code: again.code, status: again.status, details: again.details }).toEqual({ code: 'reservation_not_active', status: 409, details: `reservation ${r.id} is released` });
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it("hides other shoppers' reservations (404) but lets the vendor's members release them", async () => {
    const t = await stockedTenant([5]);
    const [shopper, stranger] = await Promise.all([createUser(), createUser()]);
    const { data: r } = await reserve(shopper.caller, t.productIds[0]!, 1);
    const err = await apiError(release(stranger.caller, r.id));
    expect({ code: err.code, status: err.status }).toEqual({ code: 'reservation_not_found', status: 404 });
    const { data } = await release(t.owner.caller, r.id);
    expect(data.status).toBe('released');
  });
});

describe('checkout', () => {
  async function cart(shopper: TestUser, productCount: number) {
    const t = await createTenant({ products: productCount, locations: 2, price: 2.5 });
    for (const p of t.productIds) {
      await restock(p, t.locationIds[0]!, 10);
      await restock(p, t.locationIds[1]!, 10);
    }
    const ids: string[] = [];
    for (const p of t.productIds) ids.push((await reserve(shopper.caller, p, 3)).data.id);
    return { t, ids };
  }

  it('turns active reservations into one order; on_hand and reserved decrease together', async () => {
    const shopper = await createUser();
    const { t, ids } = await cart(shopper, 3);
    const { data: order } = await checkout(shopper.caller, [...ids].reverse());
    expect(order).toMatchObject({ vendor_id: t.vendorId, customer_id: shopper.id, status: 'placed', total: 22.5, item_count: 9 });
    const { rows: lines } = await db().query('select reservation_id, product_id, quantity, unit_price::float, line_total::float from public.order_lines where order_id = $1 order by reservation_id', [order.id]);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatchObject({ quantity: 3, unit_price: 2.5, line_total: 7.5 });
    const { rows: reservations } = await db().query('select status, order_id from public.reservations where id = any ($1)', [ids]);
    expect(reservations).toEqual(ids.map(() => ({ status: 'committed', order_id: order.id })));
    for (const p of t.productIds) {
      expect((await levelsOf(p)).map((l) => [l.on_hand, l.reserved]).sort((a, b) => a[0]! - b[0]!)).toEqual([[7, 0], [10, 0]]);
    }
    const { rows: sales } = await db().query(`select on_hand_delta, reserved_delta, reference from public.stock_movements where vendor_id = $1 and kind = 'sale'`, [t.vendorId]);
    expect(sales).toEqual(ids.map(() => ({ on_hand_delta: -3, reserved_delta: -3, reference: order.id })));
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('is all-or-nothing: one committed reservation fails the whole checkout with 409', async () => {
    const shopper = await createUser();
    const { t, ids } = await cart(shopper, 2);
    await checkout(shopper.caller, [ids[0]!]);
    const err = await apiError(checkout(shopper.caller, ids));
    expect({ code: err.code, status: err.status, details: err.details }).toEqual({ code: 'reservation_not_active', status: 409, details: `reservation ${ids[0]} is committed` });
    const { rows } = await db().query('select status from public.reservations where id = $1', [ids[1]]);
    expect(rows[0].status).toBe('active');
    const { rows: orders } = await db().query('select count(*)::int as n from public.orders where vendor_id = $1', [t.vendorId]);
    expect(orders[0].n).toBe(1);
  });

  it("answers 404 for someone else's reservation and changes nothing", async () => {
    const [shopper, stranger] = await Promise.all([createUser(), createUser()]);
    const { t, ids } = await cart(shopper, 1);
    const { data: theirs } = await reserve(stranger.caller, t.productIds[0]!, 1);
    const err = await apiError(checkout(shopper.caller, [ids[0]!, theirs.id]));
    expect({ code: err.code, status: err.status, details: err.details }).toEqual({ code: 'reservation_not_found', status: 404, details: `reservation ${theirs.id} does not exist or is not yours` });
    const { rows } = await db().query(`select count(*)::int as n from public.reservations where id = any ($1) and status = 'active'`, [[ids[0], theirs.id]]);
    expect(rows[0].n).toBe(2);
  });

  it('refuses reservations of two vendors (400 multiple_vendors), duplicates and empty lists (400 invalid_argument)', async () => {
    const shopper = await createUser();
    const [first, second] = [await cart(shopper, 1), await cart(shopper, 1)];
    const mixed = await apiError(checkout(shopper.caller, [first.ids[0]!, second.ids[0]!]));
    expect({ code: mixed.code, status: mixed.status }).toEqual({ code: 'multiple_vendors', status: 400 });
    const duplicate = await apiError(checkout(shopper.caller, [first.ids[0]!, first.ids[0]!]));
    expect({ code: duplicate.code, status: duplicate.status, message: duplicate.message }).toEqual({ code: 'invalid_argument', status: 400, message: 'reservation_ids contains duplicates' });
    const empty = await apiError(checkout(shopper.caller, []));
    expect({ code: empty.code, status: empty.status }).toEqual({ code: 'invalid_argument', status: 400 });
  });
});
