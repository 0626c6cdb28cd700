import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { createTenant, createUser, driftOf, levelsOf, newKey, restock } from './helpers/fixtures.ts';
import { apiError, newPool, rpc, serviceCaller } from './helpers/sql.ts';

interface Reservation {
  id: string;
  status: string;
  quantity: number;
}

async function stocked(quantity: number) {
  const t = await createTenant({ locations: 1 });
  await restock(t.productIds[0]!, t.locationIds[0]!, quantity);
  return t;
}

async function reservationCount(productId: string): Promise<number> {
  const { rows } = await db().query('select count(*)::int as n from public.reservations where product_id = $1', [productId]);
  return rows[0].n;
}

describe('idempotency keys', () => {
  it('replays the stored result of the first call, marked Idempotent-Replayed, with no second effect', async () => {
    const t = await stocked(10);
    const shopper = await createUser();
    const key = newKey();
    const args = { product_id: t.productIds[0], quantity: 2, idempotency_key: key };
    const first = await rpc<Reservation>(shopper.caller, 'reserve_stock', args);
    expect(first.headers).toEqual({});
    const replay = await rpc<Reservation>(shopper.caller, 'reserve_stock', args);
    expect(replay.data).toEqual(first.data);
    expect(replay.headers).toEqual({ 'Idempotent-Replayed': 'true' });
    expect(await reservationCount(t.productIds[0]!)).toBe(1);
    expect((await levelsOf(t.productIds[0]!))[0]).toMatchObject({ reserved: 2 });
  });

  it('replays the first result even after the state moved on', async () => {
    const t = await stocked(10);
    const shopper = await createUser();
    const args = { product_id: t.productIds[0], location_id: t.locationIds[0], delta: 5, reason: 'delivery', idempotency_key: newKey() };
    const first = await rpc<{ on_hand: number }>(t.owner.caller, 'adjust_stock', args);
    await rpc(shopper.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 1, idempotency_key: newKey() });
    const replay = await rpc<{ on_hand: number; reserved: number }>(t.owner.caller, 'adjust_stock', args);
    expect(replay.data).toEqual(first.data);
    expect((await levelsOf(t.productIds[0]!))[0]).toMatchObject({ on_hand: 15, reserved: 1 });
  });

  it('answers 422 idempotency_key_reused when the key comes back with other arguments, and changes nothing', async () => {
    const t = await stocked(10);
    const shopper = await createUser();
    const key = newKey();
    await rpc(shopper.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 2, idempotency_key: key });
    const err = await apiError(rpc(shopper.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 3, idempotency_key: key }));
    expect({ code: err.code, status: err.status, message: err.message }).toEqual({
      code: 'idempotency_key_reused', status: 422, message: 'This idempotency key was already used with different arguments',
    });
    expect(await reservationCount(t.productIds[0]!)).toBe(1);
    expect((await levelsOf(t.productIds[0]!))[0]!.reserved).toBe(2);
  });

  it('scopes keys by caller and by operation', async () => {
    const t = await stocked(10);
    const [alice, bob] = await Promise.all([createUser(), createUser()]);
    const key = newKey();
    const a = await rpc<Reservation>(alice.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 1, idempotency_key: key });
    const b = await rpc<Reservation>(bob.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 1, idempotency_key: key });
    expect(b.data.id).not.toBe(a.data.id);
    expect(b.headers).toEqual({});
    const released = await rpc<Reservation>(alice.caller, 'release_reservation', { reservation_id: a.data.id, idempotency_key: key });
    expect(released.data.status).toBe('released');
    expect(released.headers).toEqual({});
  });

  it('answers 400 for a missing or malformed key, before anything else', async () => {
    const t = await stocked(10);
    const shopper = await createUser();
    const call = (key: unknown) => rpc(shopper.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 1, idempotency_key: key });
    for (const key of [null, '']) {
      const err = await apiError(call(key));
      expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: 'idempotency_key_required', status: 400, message: 'An idempotency key is required' });
    }
    for (const key of ['short', 'has a space in it', 'x'.repeat(256), 'ключ-ключ-ключ', 'tab\there-xx']) {
      const err = await apiError(call(key));
      expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: 'idempotency_key_invalid', status: 400, message: 'The idempotency key is malformed' });
    }
    const missing = await apiError(rpc(shopper.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 1 }));
    expect(missing.code).toBe('idempotency_key_required');
    for (const fn of ['release_reservation', 'checkout', 'adjust_stock', 'set_stock']) {
      const err = await apiError(rpc(t.owner.caller, fn, {}));
      expect(err.code).toBe('idempotency_key_required');
    }
    await expect(call('x'.repeat(255))).resolves.toBeDefined();
    expect(await reservationCount(t.productIds[0]!)).toBe(1);
  });

  it('stores nothing for a failed call, so the same key can be retried', async () => {
    const t = await stocked(1);
    const shopper = await createUser();
    const args = { product_id: t.productIds[0], quantity: 3, idempotency_key: newKey() };
    expect((await apiError(rpc(shopper.caller, 'reserve_stock', args))).code).toBe('insufficient_stock');
    await restock(t.productIds[0]!, t.locationIds[0]!, 5);
    const retry = await rpc<Reservation>(shopper.caller, 'reserve_stock', args);
    expect(retry.data).toMatchObject({ quantity: 3, status: 'active' });
    expect(retry.headers).toEqual({});
  });

  it('serialises concurrent duplicates: one applies, the others replay it', async () => {
    const t = await stocked(100);
    const shopper = await createUser();
    const pool = newPool(12);
    try {
      const args = { product_id: t.productIds[0], quantity: 1, idempotency_key: newKey() };
      const results = await Promise.all(Array.from({ length: 12 }, () => rpc<Reservation>(shopper.caller, 'reserve_stock', args, { pool })));
      expect(new Set(results.map((r) => r.data.id)).size).toBe(1);
      expect(results.filter((r) => r.headers['Idempotent-Replayed'] === 'true')).toHaveLength(11);
      expect(await reservationCount(t.productIds[0]!)).toBe(1);
      expect((await levelsOf(t.productIds[0]!))[0]!.reserved).toBe(1);
      const { rows } = await db().query(`select count(*)::int as n from public.stock_movements where product_id = $1 and kind = 'reservation'`, [t.productIds[0]]);
      expect(rows[0].n).toBe(1);
      expect(await driftOf([t.vendorId])).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('keeps keys 24 hours; past that a key is forgotten and purge_idempotency_keys removes it', async () => {
    const t = await stocked(10);
    const shopper = await createUser();
    const args = { product_id: t.productIds[0], quantity: 1, idempotency_key: newKey() };
    const first = await rpc<Reservation>(shopper.caller, 'reserve_stock', args);
    const { rows: [stored] } = await db().query(
      `select extract(epoch from expires_at - created_at)::int as retention from private.idempotency_keys where caller = $1 and key = $2`,
      [shopper.id, args.idempotency_key],
    );
    expect(stored.retention).toBe(24 * 3600);

    await db().query(`update private.idempotency_keys set expires_at = now() - interval '1 second' where caller = $1 and key = $2`, [shopper.id, args.idempotency_key]);
    const { data: purged } = await rpc<number>(serviceCaller, 'purge_idempotency_keys');
    expect(purged).toBeGreaterThanOrEqual(1);
    const { rows } = await db().query('select count(*)::int as n from private.idempotency_keys where caller = $1', [shopper.id]);
    expect(rows[0].n).toBe(0);
    const again = await rpc<Reservation>(shopper.caller, 'reserve_stock', args);
    expect(again.data.id).not.toBe(first.data.id);
    expect(again.headers).toEqual({});
  });

  it('forgets a key past its retention even before the purge runs', async () => {
    const t = await stocked(10);
    const shopper = await createUser();
    const args = { product_id: t.productIds[0], quantity: 1, idempotency_key: newKey() };
    const first = await rpc<Reservation>(shopper.caller, 'reserve_stock', args);
    await db().query(`update private.idempotency_keys set expires_at = now() - interval '1 second' where caller = $1`, [shopper.id]);
    const again = await rpc<Reservation>(shopper.caller, 'reserve_stock', { ...args, quantity: 2 });
    expect(again.data.id).not.toBe(first.data.id);
    expect(again.data.quantity).toBe(2);
  });
});
