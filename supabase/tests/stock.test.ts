import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { createTenant, createUser, driftOf, levelsOf, newKey, restock } from './helpers/fixtures.ts';
import { apiError, rpc, serviceCaller, type Caller } from './helpers/sql.ts';

interface LevelRow {
  product_id: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  available: number;
  version: number;
}

const adjust = (caller: Caller, args: Record<string, unknown>) =>
  rpc<LevelRow>(caller, 'adjust_stock', { reason: 'test', idempotency_key: newKey(), ...args });
const setStock = (caller: Caller, args: Record<string, unknown>) =>
  rpc<LevelRow>(caller, 'set_stock', { idempotency_key: newKey(), ...args });

async function ledgerOf(productId: string) {
  const { rows } = await db().query(
    `select kind, on_hand_delta, reserved_delta, reason, actor_id, actor_role, level_version::int as level_version
     from public.stock_movements where product_id = $1 order by id`,
    [productId],
  );
  return rows;
}

describe('adjust_stock', () => {
  it('creates the level on first restock, records restock and adjustment movements, bumps the version', async () => {
    const t = await createTenant();
    const [p, l] = [t.productIds[0]!, t.locationIds[0]!];
    const first = await adjust(t.owner.caller, { product_id: p, location_id: l, delta: 12, reason: 'delivery 42' });
    expect(first.data).toMatchObject({ product_id: p, location_id: l, on_hand: 12, reserved: 0, available: 12 });
    const second = await adjust(t.owner.caller, { product_id: p, location_id: l, delta: -2, reason: 'damaged' });
    expect(second.data).toMatchObject({ on_hand: 10, available: 10, version: first.data.version + 1 });
    expect(await ledgerOf(p)).toEqual([
      { kind: 'restock', on_hand_delta: 12, reserved_delta: 0, reason: 'delivery 42', actor_id: t.owner.id, actor_role: 'authenticated', level_version: first.data.version },
      { kind: 'adjustment', on_hand_delta: -2, reserved_delta: 0, reason: 'damaged', actor_id: t.owner.id, actor_role: 'authenticated', level_version: second.data.version },
    ]);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('lets staff adjust too', async () => {
    const t = await createTenant();
    const staff = await createUser();
    await db().query(`insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, 'staff')`, [t.vendorId, staff.id]);
    const { data } = await adjust(staff.caller, { product_id: t.productIds[0], location_id: t.locationIds[0], delta: 3 });
    expect(data.on_hand).toBe(3);
  });

  it('refuses to remove reserved stock with 409 insufficient_stock and changes nothing', async () => {
    const t = await createTenant({ locations: 1 });
    const [p, l] = [t.productIds[0]!, t.locationIds[0]!];
    await restock(p, l, 5);
    const shopper = await createUser();
    await rpc(shopper.caller, 'reserve_stock', { product_id: p, quantity: 4, idempotency_key: newKey() });
    const before = await levelsOf(p);
    const err = await apiError(adjust(t.owner.caller, { product_id: p, location_id: l, delta: -2 }));
    expect({ code: err.code, status: err.status, details: err.details }).toEqual({ code: 'insufficient_stock', status: 409, details: 'on_hand 5, reserved 4, delta -2' });
    expect(await levelsOf(p)).toEqual(before);
    expect((await ledgerOf(p)).length).toBe(2);
  });

  it('refuses a negative adjustment of a level that does not exist, without creating it', async () => {
    const t = await createTenant();
    const err = await apiError(adjust(t.owner.caller, { product_id: t.productIds[0], location_id: t.locationIds[0], delta: -1 }));
    expect(err.code).toBe('insufficient_stock');
    expect(await levelsOf(t.productIds[0]!)).toEqual([]);
  });

  it('validates its arguments with 400s', async () => {
    const t = await createTenant();
    const base = { product_id: t.productIds[0], location_id: t.locationIds[0], delta: 1 };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ delta: 0 }, 'invalid_quantity', 'delta must be a non-zero integer'],
      [{ delta: null }, 'invalid_quantity', 'delta must be a non-zero integer'],
      [{ reason: '  ' }, 'invalid_argument', 'reason is required'],
      [{ reason: 'x'.repeat(501) }, 'invalid_argument', 'reason is required'],
      [{ product_id: null }, 'invalid_argument', 'product_id is required'],
      [{ location_id: null }, 'invalid_argument', 'location_id is required'],
    ];
    for (const [override, code, message] of cases) {
      const err = await apiError(adjust(t.owner.caller, { ...base, ...override }));
      expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code, status: 400, message });
    }
  });

  it('answers 404 for unknown products and for locations of another vendor, 403 for non-members', async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const unknown = await apiError(adjust(a.owner.caller, { product_id: '00000000-0000-4000-8000-000000000000', location_id: a.locationIds[0], delta: 1 }));
    expect({ code: unknown.code, status: unknown.status }).toEqual({ code: 'product_not_found', status: 404 });
    const foreignLocation = await apiError(adjust(a.owner.caller, { product_id: a.productIds[0], location_id: b.locationIds[0], delta: 1 }));
    expect({ code: foreignLocation.code, status: foreignLocation.status }).toEqual({ code: 'location_not_found', status: 404 });
    const otherVendor = await apiError(adjust(b.owner.caller, { product_id: a.productIds[0], location_id: a.locationIds[0], delta: 1 }));
    expect({ code: otherVendor.code, status: otherVendor.status, message: otherVendor.message }).toEqual({
      code: 'forbidden', status: 403, message: "Only members of this product's vendor can change its stock",
    });
    expect(await levelsOf(a.productIds[0]!)).toEqual([]);
  });
});

describe('set_stock (compare-and-set)', () => {
  it('creates a level with expected_version 0, then sets it when the version matches', async () => {
    const t = await createTenant();
    const [p, l] = [t.productIds[0]!, t.locationIds[0]!];
    const created = await setStock(t.owner.caller, { product_id: p, location_id: l, on_hand: 7, expected_version: 0 });
    expect(created.data).toMatchObject({ on_hand: 7, version: 1 });
    const updated = await setStock(t.owner.caller, { product_id: p, location_id: l, on_hand: 3, expected_version: 1 });
    expect(updated.data).toMatchObject({ on_hand: 3, version: 2 });
    expect((await ledgerOf(p)).map((m) => [m.kind, m.on_hand_delta, m.reason, m.level_version])).toEqual([
      ['adjustment', 7, 'stock count', 1],
      ['adjustment', -4, 'stock count', 2],
    ]);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('answers 409 version_conflict for a stale version and changes nothing', async () => {
    const t = await createTenant();
    const [p, l] = [t.productIds[0]!, t.locationIds[0]!];
    await setStock(t.owner.caller, { product_id: p, location_id: l, on_hand: 7, expected_version: 0 });
    await adjust(t.owner.caller, { product_id: p, location_id: l, delta: 1 });
    const stale = await apiError(setStock(t.owner.caller, { product_id: p, location_id: l, on_hand: 1, expected_version: 1 }));
    expect({ code: stale.code, status: stale.status, details: stale.details }).toEqual({ code: 'version_conflict', status: 409, details: 'expected version 1, current version 2' });
    const exists = await apiError(setStock(t.owner.caller, { product_id: p, location_id: l, on_hand: 1, expected_version: 0 }));
    expect(exists.code).toBe('version_conflict');
    const missing = await apiError(setStock(t.owner.caller, { product_id: p, location_id: t.locationIds[1], on_hand: 1, expected_version: 4 }));
    expect({ code: missing.code, details: missing.details }).toEqual({ code: 'version_conflict', details: 'expected version 4, the level does not exist yet' });
    expect((await levelsOf(p)).map((l) => [l.on_hand, l.version])).toEqual([[8, 2]]);
  });

  it('of two writers holding the same version, exactly one wins', async () => {
    const t = await createTenant();
    const [p, l] = [t.productIds[0]!, t.locationIds[0]!];
    await setStock(serviceCaller, { product_id: p, location_id: l, on_hand: 10, expected_version: 0 });
    const results = await Promise.allSettled([20, 30, 40, 50].map((n) => setStock(t.owner.caller, { product_id: p, location_id: l, on_hand: n, expected_version: 1 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('version_conflict');
    expect((await levelsOf(p))[0]!.version).toBe(2);
  });

  it('cannot go below the reserved quantity; same on_hand is a no-op', async () => {
    const t = await createTenant({ locations: 1 });
    const [p, l] = [t.productIds[0]!, t.locationIds[0]!];
    await restock(p, l, 5);
    const shopper = await createUser();
    await rpc(shopper.caller, 'reserve_stock', { product_id: p, quantity: 3, idempotency_key: newKey() });
    const [level] = await levelsOf(p);
    const err = await apiError(setStock(t.owner.caller, { product_id: p, location_id: l, on_hand: 2, expected_version: level!.version }));
    expect({ code: err.code, status: err.status, details: err.details }).toEqual({ code: 'insufficient_stock', status: 409, details: 'on_hand 2 requested, reserved 3' });
    const same = await setStock(t.owner.caller, { product_id: p, location_id: l, on_hand: 5, expected_version: level!.version });
    expect(same.data).toMatchObject({ on_hand: 5, version: level!.version });
  });

  it('validates on_hand and expected_version', async () => {
    const t = await createTenant();
    const base = { product_id: t.productIds[0], location_id: t.locationIds[0], on_hand: 1, expected_version: 0 };
    const negative = await apiError(setStock(t.owner.caller, { ...base, on_hand: -1 }));
    expect({ code: negative.code, status: negative.status }).toEqual({ code: 'invalid_quantity', status: 400 });
    const noVersion = await apiError(setStock(t.owner.caller, { ...base, expected_version: null }));
    expect({ code: noVersion.code, status: noVersion.status }).toEqual({ code: 'invalid_argument', status: 400 });
  });
});

describe('the ledger', () => {
  it('is append-only, even for the table owner', async () => {
    const t = await createTenant();
    await restock(t.productIds[0]!, t.locationIds[0]!, 3);
    await expect(db().query('update public.stock_movements set reason = $1 where product_id = $2', ['rewritten', t.productIds[0]])).rejects.toThrow('stock_movements is append-only');
    await expect(db().query('delete from public.stock_movements where product_id = $1', [t.productIds[0]])).rejects.toThrow('stock_movements is append-only');
  });

  it('drift report flags a counter the ledger does not explain', async () => {
    const t = await createTenant();
    const [p, l] = [t.productIds[0]!, t.locationIds[0]!];
    await restock(p, l, 3);
    const client = await db().connect();
    try {
      await client.query('begin');
      await client.query('update public.inventory_levels set on_hand = 9 where product_id = $1', [p]);
      await client.query(`select set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
      const { rows } = await client.query('select product_id, on_hand, ledger_on_hand::int, reserved, ledger_reserved::int, active_reserved::int from public.stock_drift_report() where product_id = $1', [p]);
      expect(rows).toEqual([{ product_id: p, on_hand: 9, ledger_on_hand: 3, reserved: 0, ledger_reserved: 0, active_reserved: 0 }]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('drift report shows members only their vendor', async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const client = await db().connect();
    try {
      await client.query('begin');
      await client.query('insert into public.inventory_levels (product_id, location_id, vendor_id, on_hand) values ($1, $2, $3, 4), ($4, $5, $6, 4)',
        [a.productIds[0], a.locationIds[0], a.vendorId, b.productIds[0], b.locationIds[0], b.vendorId]);
      await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify(a.owner.caller.claims)]);
      const { rows } = await client.query('select vendor_id from public.stock_drift_report() where vendor_id = any ($1::uuid[])', [[a.vendorId, b.vendorId]]);
      expect(rows).toEqual([{ vendor_id: a.vendorId }]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
