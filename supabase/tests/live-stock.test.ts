import { describe, expect, it } from 'vitest';
import { createAdmin, createTenant, createUser, newKey, restock, type Tenant } from './helpers/fixtures.ts';
import { clock, messagesSince } from './helpers/messages.ts';
import { anonCaller, apiError, asCaller, rpc, type Caller } from './helpers/sql.ts';

// The feeds at the database level: what realtime.send queued for each change, and who the RLS
// policies on realtime.messages let join the private vendor topic.

const stockTopic = (t: Tenant) => `vendor:${t.vendorId}:stock`;
const availabilityTopic = (productId: string) => `product:${productId}:availability`;

describe('live-stock feeds', () => {
  it('a reservation sends the level and the reservation to the vendor topic, and availability to the public topic', async () => {
    const t = await createTenant({ locations: 1 });
    const p = t.productIds[0]!;
    await restock(p, t.locationIds[0]!, 10);
    const shopper = await createUser();
    const mark = await clock();
    const { data: r } = await rpc<{ id: string }>(shopper.caller, 'reserve_stock', { product_id: p, quantity: 3, idempotency_key: newKey() });

    const messages = await messagesSince(mark, [stockTopic(t), availabilityTopic(p)]);
    const byEvent = (event: string) => messages.filter((m) => m.event === event);
    expect(byEvent('stock_level')).toHaveLength(1);
    expect(byEvent('stock_level')[0]).toMatchObject({
      topic: stockTopic(t), private: true,
      payload: { product_id: p, location_id: t.locationIds[0], on_hand: 10, reserved: 3, available: 7, version: 3 },
    });
    expect(byEvent('reservation')[0]).toMatchObject({
      topic: stockTopic(t), private: true, payload: { id: r.id, product_id: p, quantity: 3, status: 'active', version: 1 },
    });
    const [availability] = byEvent('availability');
    expect(availability).toMatchObject({ topic: availabilityTopic(p), private: false, payload: { product_id: p, available: 7, version: 3 } });
    // Nothing vendor-internal on the public topic (realtime.send adds the message id).
    expect(Object.keys(availability!.payload).sort()).toEqual(['available', 'id', 'product_id', 'version']);
  });

  it('versions grow with every change, so clients can drop stale events', async () => {
    const t = await createTenant({ locations: 1 });
    const p = t.productIds[0]!;
    const mark = await clock();
    await restock(p, t.locationIds[0]!, 10);
    const shopper = await createUser();
    const { data: r } = await rpc<{ id: string }>(shopper.caller, 'reserve_stock', { product_id: p, quantity: 2, idempotency_key: newKey() });
    await rpc(shopper.caller, 'release_reservation', { reservation_id: r.id, idempotency_key: newKey() });
    const messages = await messagesSince(mark, [stockTopic(t), availabilityTopic(p)]);
    const versions = (event: string) => messages.filter((m) => m.event === event).map((m) => m.payload.version);
    expect(versions('stock_level')).toEqual([1, 2, 3, 4]);
    expect(versions('availability')).toEqual([1, 2, 3, 4]);
    expect(messages.filter((m) => m.event === 'availability').map((m) => m.payload.available)).toEqual([0, 10, 8, 10]);
    expect(messages.filter((m) => m.event === 'reservation').map((m) => [m.payload.status, m.payload.version])).toEqual([['active', 1], ['released', 2]]);
  });

  it('a failed change sends nothing', async () => {
    const t = await createTenant({ locations: 1 });
    const p = t.productIds[0]!;
    await restock(p, t.locationIds[0]!, 1);
    const shopper = await createUser();
    const mark = await clock();
    expect((await apiError(rpc(shopper.caller, 'reserve_stock', { product_id: p, quantity: 5, idempotency_key: newKey() }))).code).toBe('insufficient_stock');
    expect(await messagesSince(mark, [stockTopic(t), availabilityTopic(p)])).toEqual([]);
  });

  it("RLS on realtime.messages lets only the vendor's members and admins read its private stock topic", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const [shopper, admin] = await Promise.all([createUser(), createAdmin()]);
    // What Realtime does to authorise a join: with realtime.topic set, can the user read a message of that topic?
    const canRead = async (caller: Caller, topic: string) =>
      asCaller(caller, async (c) => {
        await c.query('reset role');
        const { rows: [m] } = await c.query(`insert into realtime.messages (topic, extension, payload, event, private) values ($1, 'broadcast', '{}', 'probe', true) returning id`, [topic]);
        await c.query(`select set_config('role', $1, true), set_config('realtime.topic', $2, true)`, [caller.role, topic]);
        return (await c.query('select 1 from realtime.messages where id = $1', [m.id])).rowCount === 1;
      }, { rollback: true });

    const topic = stockTopic(a);
    expect(await canRead(a.owner.caller, topic)).toBe(true);
    expect(await canRead(admin.caller, topic)).toBe(true);
    expect(await canRead(b.owner.caller, topic)).toBe(false);
    expect(await canRead(shopper.caller, topic)).toBe(false);
    expect(await canRead(anonCaller, topic)).toBe(false);
    expect(await canRead(a.owner.caller, `vendor:${a.vendorId}:orders`)).toBe(false);
    expect(await canRead(a.owner.caller, 'vendor:not-a-uuid:stock')).toBe(false);
    expect(await canRead(admin.caller, 'vendor:not-a-uuid:stock')).toBe(false);
  });
});
