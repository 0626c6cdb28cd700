import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { createTenant, createUser, driftOf, newKey, restock, type TestUser } from './helpers/fixtures.ts';
import { ApiError, newPool, rpc } from './helpers/sql.ts';

// Many callers on separate Postgres connections against the real database. Every error that is
// not an expected domain error (a deadlock, a constraint violation, a timeout) fails the test.

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;
function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function expectDomainError(err: unknown, allowed: string[]): string {
  if (!(err instanceof ApiError) || !allowed.includes(err.code)) throw err;
  return err.code;
}

describe('concurrency', () => {
  it('64 concurrent callers with demand far above stock reserve exactly the stock, never more', { timeout: 120_000 }, async () => {
    const t = await createTenant({ products: 3, locations: 2 });
    for (const p of t.productIds) {
      await restock(p, t.locationIds[0]!, 6);
      await restock(p, t.locationIds[1]!, 4);
    }
    const callers = await Promise.all(Array.from({ length: 64 }, () => createUser()));
    const pool = newPool(64);
    const reserved: Array<{ id: string; product_id: string; quantity: number }> = [];
    let refused = 0;
    try {
      await Promise.all(callers.map(async (caller) => {
        for (let attempt = 0; attempt < 10; attempt++) {
          try {
            const { data } = await rpc<{ id: string; product_id: string; quantity: number }>(caller.caller, 'reserve_stock',
              { product_id: pick(t.productIds), quantity: 1, idempotency_key: newKey() }, { pool });
            reserved.push(data);
          } catch (err) {
            expectDomainError(err, ['insufficient_stock']);
            refused++;
          }
        }
      }));
    } finally {
      await pool.end();
    }
    expect(reserved).toHaveLength(30);
    expect(refused).toBe(640 - 30);
    expect(new Set(reserved.map((r) => r.id)).size).toBe(30);
    for (const p of t.productIds) expect(reserved.filter((r) => r.product_id === p)).toHaveLength(10);
    const { rows } = await db().query('select on_hand, reserved from public.inventory_levels where vendor_id = $1', [t.vendorId]);
    expect(rows).toHaveLength(6);
    for (const level of rows) expect(level.reserved).toBe(level.on_hand);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('multi-product checkouts in random orders never deadlock; invariants hold and the ledger reconciles', { timeout: 120_000 }, async () => {
    const t = await createTenant({ products: 6, locations: 2, price: 3 });
    for (const p of t.productIds) for (const l of t.locationIds) await restock(p, l, 15);
    const shoppers = await Promise.all(Array.from({ length: 48 }, () => createUser()));
    const pool = newPool(56);
    const errors: Record<string, number> = {};
    const count = (code: string) => (errors[code] = (errors[code] ?? 0) + 1);
    let restocked = 0;

    const shop = async (shopper: TestUser) => {
      for (let round = 0; round < 3; round++) {
        const expiring = Math.random() < 0.1;
        const ids: string[] = [];
        for (const p of shuffle(t.productIds).slice(0, 2 + Math.floor(Math.random() * 3))) {
          try {
            const { data } = await rpc<{ id: string }>(shopper.caller, 'reserve_stock',
              { product_id: p, quantity: 1 + Math.floor(Math.random() * 2), idempotency_key: newKey(), ttl_seconds: expiring ? 1 : 600 }, { pool });
            ids.push(data.id);
          } catch (err) {
            count(expectDomainError(err, ['insufficient_stock']));
          }
        }
        if (ids.length === 0) continue;
        if (expiring) await new Promise((r) => setTimeout(r, 1100));
        if (!expiring && ids.length > 1 && Math.random() < 0.2) {
          await rpc(shopper.caller, 'release_reservation', { reservation_id: ids.pop(), idempotency_key: newKey() }, { pool });
        }
        try {
          await rpc(shopper.caller, 'checkout', { reservation_ids: shuffle(ids), idempotency_key: newKey() }, { pool });
          expect(expiring).toBe(false);
        } catch (err) {
          // Past its TTL the reservation is expired, or already swept (then not active).
          count(expectDomainError(err, expiring ? ['reservation_expired', 'reservation_not_active'] : []));
        }
      }
    };
    const vendor = async () => {
      for (let i = 0; i < 40; i++) {
        await rpc(t.owner.caller, 'adjust_stock',
          { product_id: pick(t.productIds), location_id: pick(t.locationIds), delta: 1, reason: 'restock during sale', idempotency_key: newKey() }, { pool });
        restocked++;
      }
    };
    try {
      await Promise.all([...shoppers.map(shop), vendor()]);
    } finally {
      await pool.end();
    }

    expect(Object.keys(errors).filter((code) => !['insufficient_stock', 'reservation_expired', 'reservation_not_active'].includes(code))).toEqual([]);
    expect(restocked).toBe(40);
    const { rows: [totals] } = await db().query(
      `select (select coalesce(sum(on_hand), 0)::int from public.inventory_levels where vendor_id = $1) as on_hand,
              (select coalesce(sum(reserved), 0)::int from public.inventory_levels where vendor_id = $1) as reserved,
              (select coalesce(sum(quantity), 0)::int from public.order_lines where vendor_id = $1) as sold,
              (select coalesce(sum(item_count), 0)::int from public.orders where vendor_id = $1) as items,
              (select coalesce(sum(total), 0)::float from public.orders where vendor_id = $1) as revenue,
              (select coalesce(sum(quantity), 0)::int from public.reservations where vendor_id = $1 and status = 'active') as active`,
      [t.vendorId],
    );
    expect(totals.sold).toBeGreaterThan(0);
    expect(totals.on_hand).toBe(6 * 2 * 15 + 40 - totals.sold);
    expect(totals.items).toBe(totals.sold);
    expect(totals.revenue).toBe(totals.sold * 3);
    expect(totals.reserved).toBe(totals.active);
    const { rows: negative } = await db().query('select 1 from public.inventory_levels where vendor_id = $1 and (available < 0 or reserved > on_hand)', [t.vendorId]);
    expect(negative).toEqual([]);
    const { rows: [lines] } = await db().query(
      `select count(*)::int as mismatched from public.order_lines ol join public.reservations r on r.id = ol.reservation_id
       where ol.vendor_id = $1 and (r.status <> 'committed' or r.order_id <> ol.order_id or r.quantity <> ol.quantity)`,
      [t.vendorId],
    );
    expect(lines.mismatched).toBe(0);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });
});
