import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { createTenant, createUser, driftOf, levelsOf, newKey, restock } from './helpers/fixtures.ts';
import { apiError, rpc, serviceCaller, type Caller } from './helpers/sql.ts';

interface Reservation {
  id: string;
  status: string;
}

async function stocked(quantity: number) {
  const t = await createTenant({ locations: 1 });
  await restock(t.productIds[0]!, t.locationIds[0]!, quantity);
  return t;
}

const reserve = (caller: Caller, productId: string, quantity: number, ttlSeconds = 600) =>
  rpc<Reservation>(caller, 'reserve_stock', { product_id: productId, quantity, idempotency_key: newKey(), ttl_seconds: ttlSeconds });

/**
 * Runs `work` on a superuser connection inside a transaction in which the reservation's expiry
 * is already past. The sweeper cannot see that uncommitted change, so within the transaction the
 * reservation is expired and certainly not swept yet.
 */
async function withExpired<T>(reservationId: string, work: (client: import('pg').PoolClient) => Promise<T>): Promise<T> {
  const client = await db().connect();
  try {
    await client.query('begin');
    await client.query(`update public.reservations set expires_at = now() - interval '1 second' where id = $1`, [reservationId]);
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

async function actAs(client: import('pg').PoolClient, caller: Caller) {
  await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [caller.role, JSON.stringify(caller.claims)]);
}

describe('expiry before the sweeper runs', () => {
  it('an expired reservation counts as available and never blocks a new reservation', async () => {
    const t = await stocked(5);
    const [first, second] = await Promise.all([createUser(), createUser()]);
    const { data: held } = await reserve(first.caller, t.productIds[0]!, 5);
    expect((await apiError(reserve(second.caller, t.productIds[0]!, 1))).code).toBe('insufficient_stock');

    await withExpired(held.id, async (client) => {
      const { rows: [before] } = await client.query('select status from public.reservations where id = $1', [held.id]);
      expect(before.status).toBe('active');
      await actAs(client, second.caller);
      const { rows: [availability] } = await client.query('select available from public.product_availability where product_id = $1', [t.productIds[0]]);
      expect(availability.available).toBe(5);
      const { rows: [reservation] } = await client.query('select status, quantity from public.reserve_stock(product_id => $1, quantity => 5, idempotency_key => $2)', [t.productIds[0], newKey()]);
      expect(reservation).toEqual({ status: 'active', quantity: 5 });
      await client.query('reset role');
      const { rows: [after] } = await client.query('select status from public.reservations where id = $1', [held.id]);
      expect(after.status).toBe('expired');
      const { rows: expiries } = await client.query(`select reserved_delta, reference from public.stock_movements where product_id = $1 and kind = 'expiry'`, [t.productIds[0]]);
      expect(expiries).toEqual([{ reserved_delta: -5, reference: held.id }]);
    });
    expect((await levelsOf(t.productIds[0]!))[0]).toMatchObject({ on_hand: 5, reserved: 5 });
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it('an expired reservation cannot be checked out or released (409 reservation_expired)', async () => {
    const t = await stocked(5);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 2);
    for (const [fn, args] of [['checkout', { reservation_ids: [held.id] }], ['release_reservation', { reservation_id: held.id }]] as const) {
      await withExpired(held.id, async (client) => {
        await actAs(client, shopper.caller);
        await client.query('savepoint attempt');
        const names = Object.keys(args);
        const call = `public.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')}, idempotency_key => $${names.length + 1})`;
        const err = await client.query(`select * from ${call}`, [...Object.values(args), newKey()]).then(() => undefined, (e: Error) => e);
        expect(err).toBeDefined();
        expect(JSON.parse(err!.message)).toMatchObject({ code: 'reservation_expired', message: 'The reservation has expired' });
        await client.query('rollback to savepoint attempt');
      });
      await db().query(`update public.reservations set expires_at = now() + interval '10 minutes' where id = $1`, [held.id]);
    }
  });

  it('vendor adjustments see through expired reservations too', async () => {
    const t = await stocked(5);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 5);
    await withExpired(held.id, async (client) => {
      await actAs(client, t.owner.caller);
      const { rows: [level] } = await client.query(
        `select on_hand, reserved from public.adjust_stock(product_id => $1, location_id => $2, delta => -5, reason => 'shrinkage', idempotency_key => $3)`,
        [t.productIds[0], t.locationIds[0], newKey()],
      );
      expect(level).toEqual({ on_hand: 0, reserved: 0 });
    });
  });
});

describe('expire_reservations() and the sweeper', () => {
  it('expire_reservations() expires what is past its time and returns the count', async () => {
    const t = await stocked(5);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 3);
    const count = await withExpired(held.id, async (client) => {
      await actAs(client, serviceCaller);
      const { rows: [result] } = await client.query('select public.expire_reservations() as count');
      await client.query('reset role');
      const { rows: [after] } = await client.query('select status from public.reservations where id = $1', [held.id]);
      expect(after.status).toBe('expired');
      return result.count as number;
    });
    expect(count).toBeGreaterThanOrEqual(1);
    expect((await levelsOf(t.productIds[0]!))[0]).toMatchObject({ on_hand: 5, reserved: 0 });
    expect(await driftOf([t.vendorId])).toEqual([]);
  });

  it("the stack's sweeper frees the stock of a reservation past its TTL within seconds", async () => {
    const t = await stocked(4);
    const shopper = await createUser();
    const { data: held } = await reserve(shopper.caller, t.productIds[0]!, 4, 1);
    expect((await levelsOf(t.productIds[0]!))[0]!.reserved).toBe(4);
    const deadline = Date.now() + 15_000;
    let status = 'active';
    while (status === 'active' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await db().query('select status from public.reservations where id = $1', [held.id])).rows[0].status;
    }
    expect(status).toBe('expired');
    expect((await levelsOf(t.productIds[0]!))[0]).toMatchObject({ on_hand: 4, reserved: 0, available: 4 });
    const { rows } = await db().query(`select actor_role, reason from public.stock_movements where reference = $1 and kind = 'expiry'`, [held.id]);
    // As pg_cron runs it on hosted Supabase: as postgres, with no JWT (auth.role() is null).
    expect(rows).toEqual([{ actor_role: 'postgres', reason: 'reservation expired' }]);
    expect(await driftOf([t.vendorId])).toEqual([]);
  });
});
