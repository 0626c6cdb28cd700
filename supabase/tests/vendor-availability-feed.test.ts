import { afterEach, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, db } from '../../stack/tests/support.ts';
import { closeClients, Inbox, sleep, subscribed } from '../../stack/tests/realtime-helpers.ts';
import { createTenant, createUser, newKey, restock } from './helpers/fixtures.ts';
import { clock, messagesSince } from './helpers/messages.ts';
import { anonCaller, asCaller, rpc } from './helpers/sql.ts';

// The public per-vendor availability topic that catalog pages join (one channel per vendor
// instead of one per product), and the low-stock threshold the availability view now carries.

const vendorTopic = (vendorId: string) => `vendor:${vendorId}:availability`;
const productTopic = (productId: string) => `product:${productId}:availability`;
const withoutId = ({ id: _id, ...rest }: Record<string, unknown>) => rest;

const clients: SupabaseClient[] = [];
const track = (client: SupabaseClient) => (clients.push(client), client);
afterEach(async () => closeClients(...clients.splice(0)));

describe('vendor availability feed', () => {
  it("sends every product's availability to its vendor's public topic, the same payload as the product topic", async () => {
    const t = await createTenant({ products: 2, locations: 2 });
    const [p1, p2] = t.productIds as [string, string];
    const mark = await clock();
    await restock(p1, t.locationIds[0]!, 10);
    await restock(p1, t.locationIds[1]!, 5);
    await restock(p2, t.locationIds[0]!, 3);
    const shopper = await createUser();
    await rpc(shopper.caller, 'reserve_stock', { product_id: p1, quantity: 4, idempotency_key: newKey() });

    const vendorMessages = await messagesSince(mark, [vendorTopic(t.vendorId)]);
    expect(vendorMessages.map((m) => ({ event: m.event, private: m.private, ...withoutId(m.payload) }))).toEqual([
      // A first restock creates the level (version 1), then changes it (version 2).
      { event: 'availability', private: false, product_id: p1, available: 0, version: 1 },
      { event: 'availability', private: false, product_id: p1, available: 10, version: 2 },
      // The product's version is the sum of its levels' versions.
      { event: 'availability', private: false, product_id: p1, available: 10, version: 3 },
      { event: 'availability', private: false, product_id: p1, available: 15, version: 4 },
      { event: 'availability', private: false, product_id: p2, available: 0, version: 1 },
      { event: 'availability', private: false, product_id: p2, available: 3, version: 2 },
      { event: 'availability', private: false, product_id: p1, available: 11, version: 5 },
    ]);
    // Nothing vendor-internal: realtime.send adds only the message id.
    for (const m of vendorMessages) expect(Object.keys(m.payload).sort()).toEqual(['available', 'id', 'product_id', 'version']);

    const productMessages = await messagesSince(mark, [productTopic(p1), productTopic(p2)]);
    expect(productMessages.map((m) => withoutId(m.payload))).toEqual(vendorMessages.map((m) => withoutId(m.payload)));
  });

  it("keeps vendors apart and says nothing of inactive products", async () => {
    const [a, b] = await Promise.all([createTenant({ products: 2, locations: 1 }), createTenant({ locations: 1 })]);
    const [active, inactive] = a.productIds as [string, string];
    await db().query('update public.products set active = false where id = $1', [inactive]);
    const mark = await clock();
    await restock(active, a.locationIds[0]!, 2);
    await restock(inactive, a.locationIds[0]!, 7);

    expect((await messagesSince(mark, [vendorTopic(a.vendorId)])).map((m) => m.payload.product_id)).toEqual([active, active]);
    expect(await messagesSince(mark, [vendorTopic(b.vendorId), productTopic(inactive)])).toEqual([]);
    // The private vendor feed still carries the inactive product's level.
    expect(await messagesSince(mark, [`vendor:${a.vendorId}:stock`])).toHaveLength(4);
  });

  it('sends nothing when the change fails', async () => {
    const t = await createTenant({ locations: 1 });
    const p = t.productIds[0]!;
    await restock(p, t.locationIds[0]!, 1);
    const shopper = await createUser();
    const mark = await clock();
    await expect(rpc(shopper.caller, 'reserve_stock', { product_id: p, quantity: 2, idempotency_key: newKey() })).rejects.toMatchObject({ code: 'insufficient_stock' });
    expect(await messagesSince(mark, [vendorTopic(t.vendorId)])).toEqual([]);
  });

  it('reaches anon supabase-js clients on the vendor channel only, in version order', async () => {
    const [a, b] = await Promise.all([createTenant({ products: 2, locations: 1 }), createTenant({ locations: 1 })]);
    const [p1, p2] = a.productIds as [string, string];
    const inboxA = new Inbox<{ event: string; payload: Record<string, unknown> }>();
    const inboxB = new Inbox<{ event: string; payload: Record<string, unknown> }>();
    await subscribed(track(anonClient()).channel(vendorTopic(a.vendorId)).on('broadcast', { event: 'availability' }, inboxA.push));
    await subscribed(track(anonClient()).channel(vendorTopic(b.vendorId)).on('broadcast', { event: 'availability' }, inboxB.push));

    await restock(p1, a.locationIds[0]!, 6);
    await restock(p2, a.locationIds[0]!, 9);
    const shopper = await createUser();
    await rpc(shopper.caller, 'reserve_stock', { product_id: p2, quantity: 2, idempotency_key: newKey() });

    const received = await inboxA.wait(5);
    expect(received.map((m) => [m.event, m.payload.product_id, m.payload.available, m.payload.version])).toEqual([
      ['availability', p1, 0, 1],
      ['availability', p1, 6, 2],
      ['availability', p2, 0, 1],
      ['availability', p2, 9, 2],
      ['availability', p2, 7, 3],
    ]);
    await sleep(300);
    expect(inboxB.items).toEqual([]);
  });

  it('shows anon the low-stock threshold beside availability, and still no stock internals', async () => {
    const t = await createTenant({ locations: 1 });
    const p = t.productIds[0]!;
    await db().query('update public.products set low_stock_threshold = 3 where id = $1', [p]);
    await restock(p, t.locationIds[0]!, 4);
    const rows = await asCaller(anonCaller, async (c) => (await c.query('select * from public.product_availability where product_id = $1', [p])).rows);
    expect(rows).toEqual([expect.objectContaining({ product_id: p, vendor_id: t.vendorId, available: 4, low_stock_threshold: 3 })]);
    expect(Object.keys(rows[0]!).sort()).toEqual(['available', 'description', 'low_stock_threshold', 'name', 'price', 'product_id', 'sku', 'vendor_id', 'vendor_name', 'version']);
  });
});
