import { afterEach, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient } from '../../stack/tests/support.ts';
import { closeClients, Inbox, subscribe, subscribed } from '../../stack/tests/realtime-helpers.ts';
import { createAdmin, createTenant, createUser, newKey, restock } from './helpers/fixtures.ts';
import { rpc } from './helpers/sql.ts';

// The feeds end to end: supabase-js clients on the stack's Realtime, stock changed by the RPCs.

interface Broadcast {
  event: string;
  payload: Record<string, unknown>;
}

const clients: SupabaseClient[] = [];
const track = (client: SupabaseClient) => (clients.push(client), client);
afterEach(async () => closeClients(...clients.splice(0)));

describe('live-stock feeds over Realtime', () => {
  it("delivers a vendor's stock and reservation changes on its private topic, availability on the public one", async () => {
    const t = await createTenant({ locations: 1 });
    const p = t.productIds[0]!;
    await restock(p, t.locationIds[0]!, 10);
    const shopper = await createUser();

    const vendorInbox = new Inbox<Broadcast>();
    const shopperInbox = new Inbox<Broadcast>();
    const anonInbox = new Inbox<Broadcast>();
    await subscribed(track(t.owner.client).channel(`vendor:${t.vendorId}:stock`, { config: { private: true } }).on('broadcast', { event: '*' }, vendorInbox.push));
    await subscribed(track(shopper.client).channel(`product:${p}:availability`).on('broadcast', { event: 'availability' }, shopperInbox.push));
    await subscribed(track(anonClient()).channel(`product:${p}:availability`).on('broadcast', { event: 'availability' }, anonInbox.push));

    const { data: r } = await rpc<{ id: string }>(shopper.caller, 'reserve_stock', { product_id: p, quantity: 4, idempotency_key: newKey() });

    const [level] = await vendorInbox.wait(1, (m) => m.event === 'stock_level');
    expect(level!.payload).toMatchObject({ product_id: p, location_id: t.locationIds[0], on_hand: 10, reserved: 4, available: 6, version: 3 });
    const [reservation] = await vendorInbox.wait(1, (m) => m.event === 'reservation');
    expect(reservation!.payload).toMatchObject({ id: r.id, status: 'active', quantity: 4, version: 1 });
    for (const inbox of [shopperInbox, anonInbox]) {
      const [availability] = await inbox.wait(1);
      expect(availability!.payload).toMatchObject({ product_id: p, available: 6, version: 3 });
      expect(Object.keys(availability!.payload).sort()).toEqual(['available', 'id', 'product_id', 'version']);
    }
  });

  it('lets admins join any vendor topic, refuses other vendors, shoppers and anon', async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const [shopper, admin] = await Promise.all([createUser(), createAdmin()]);
    const topic = `vendor:${a.vendorId}:stock`;
    await subscribed(track(admin.client).channel(topic, { config: { private: true } }));
    for (const client of [b.owner.client, shopper.client, anonClient()]) {
      const channel = track(client).channel(topic, { config: { private: true } });
      const { status, error } = await subscribe(channel);
      expect(status).toBe('CHANNEL_ERROR');
      expect(error?.message).toBe(`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`);
    }
  });
});

describe('customer:<id>:cart feed', () => {
  it("carries every change of the shopper's holds to that shopper", async () => {
    const t = await createTenant({ locations: 1 });
    await restock(t.productIds[0]!, t.locationIds[0]!, 10);
    const shopper = await createUser();
    const inbox = new Inbox<Broadcast>();
    await subscribed(track(shopper.client).channel(`customer:${shopper.id}:cart`, { config: { private: true } }).on('broadcast', { event: 'reservation' }, inbox.push));

    const { data: held } = await rpc<{ id: string }>(shopper.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 2, idempotency_key: newKey() });
    await rpc(shopper.caller, 'set_reservation_quantity', { reservation_id: held.id, quantity: 3, idempotency_key: newKey() });
    await rpc(shopper.caller, 'extend_reservation', { reservation_id: held.id, idempotency_key: newKey() });
    await rpc(shopper.caller, 'release_reservation', { reservation_id: held.id, idempotency_key: newKey() });
    const events = await inbox.wait(4);
    expect(events.map((e) => [e.payload.id, e.payload.status, e.payload.quantity, e.payload.version])).toEqual([
      [held.id, 'active', 2, 1],
      [held.id, 'active', 3, 2],
      [held.id, 'active', 3, 3],
      [held.id, 'released', 3, 4],
    ]);
  });

  it('refuses everyone but that shopper: other shoppers, the vendor, admins and anon', async () => {
    const t = await createTenant();
    const [shopper, stranger, admin] = await Promise.all([createUser(), createUser(), createAdmin()]);
    const topic = `customer:${shopper.id}:cart`;
    for (const client of [stranger.client, t.owner.client, admin.client, anonClient()]) {
      const { status, error } = await subscribe(track(client).channel(topic, { config: { private: true } }));
      expect(status).toBe('CHANNEL_ERROR');
      expect(error?.message).toBe(`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`);
    }
  });
});
