import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { db, stack } from '../../stack/tests/support.ts';
import { createTenant, createUser, newKey, restock } from './helpers/fixtures.ts';
import { rpc } from './helpers/sql.ts';

// What checkout writes for the shopper and support: the request id, and the vendor's and
// products' names as they were at checkout. Plus the vendor's hold settings.

function clientFor(token: string) {
  return createClient(stack().apiUrl, stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    accessToken: async () => token,
  });
}

async function stockedTenant(products = 2) {
  const t = await createTenant({ locations: 1, products, price: 4.25 });
  for (const p of t.productIds) await restock(p, t.locationIds[0]!, 10);
  return t;
}

describe('checkout records', () => {
  it("the request id the client sent (x-request-id), the vendor's name and each line's product name and SKU", async () => {
    const t = await stockedTenant();
    const shopper = await createUser();
    const client = clientFor(shopper.token);
    const ids: string[] = [];
    for (const p of t.productIds) ids.push((await client.rpc('reserve_stock', { product_id: p, quantity: 2, idempotency_key: newKey() })).data.id);
    const requestId = `req-${randomUUID()}`;
    const key = newKey();
    const placed = await client.rpc('checkout', { reservation_ids: ids, idempotency_key: key }).setHeader('x-request-id', requestId);
    expect(placed.error).toBeNull();
    const { rows: [vendor] } = await db().query('select name from public.vendors where id = $1', [t.vendorId]);
    expect(placed.data).toMatchObject({ request_id: requestId, vendor_name: vendor.name, total: 17, item_count: 4 });

    // A retry with the same key (and a new request id) replays the order the first request placed.
    const replay = await client.rpc('checkout', { reservation_ids: ids, idempotency_key: key }).setHeader('x-request-id', `req-${randomUUID()}`);
    expect(replay.data).toEqual(placed.data);

    // The shopper reads it all through RLS alone, even once the products are renamed and deactivated.
    await db().query(`update public.products set name = 'Renamed', active = false where vendor_id = $1`, [t.vendorId]);
    const { data: order, error } = await client
      .from('orders')
      .select('id, request_id, vendor_name, order_lines(product_name, sku, quantity, unit_price)')
      .eq('id', placed.data.id)
      .single();
    expect(error).toBeNull();
    const { rows: skus } = await db().query<{ sku: string }>('select sku from public.products where vendor_id = $1 order by sku', [t.vendorId]);
    expect(order!.request_id).toBe(requestId);
    expect(order!.order_lines.map((l: { product_name: string; sku: string }) => [l.product_name, l.sku]).sort()).toEqual([
      ['Product 1', skus[0]!.sku],
      ['Product 2', skus[1]!.sku],
    ]);
    // The ledger's sale movements carry the same request id.
    const { rows: sales } = await db().query('select distinct request_id from public.stock_movements where kind = $1 and reference = $2', ['sale', placed.data.id]);
    expect(sales).toEqual([{ request_id: requestId }]);
  });

  it('the id the gateway gave the request when the client sent none; null outside a request', async () => {
    const t = await stockedTenant(1);
    const shopper = await createUser();
    const client = clientFor(shopper.token);
    const held = await client.rpc('reserve_stock', { product_id: t.productIds[0], quantity: 1, idempotency_key: newKey() });
    const placed = await client.rpc('checkout', { reservation_ids: [held.data.id], idempotency_key: newKey() });
    expect(placed.data.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    const direct = (await rpc<{ id: string }>(shopper.caller, 'reserve_stock', { product_id: t.productIds[0], quantity: 1, idempotency_key: newKey() })).data;
    const { data: order } = await rpc<{ request_id: string | null }>(shopper.caller, 'checkout', { reservation_ids: [direct.id], idempotency_key: newKey() });
    expect(order.request_id).toBeNull();
  });
});

describe("vendors' hold settings", () => {
  it('reservation_ttl_seconds accepts 10 s to 24 h', async () => {
    const t = await createTenant();
    const owner = clientFor(t.owner.token);
    const ok = await owner.from('vendors').update({ reservation_ttl_seconds: 10 }).eq('id', t.vendorId).select('reservation_ttl_seconds').single();
    expect(ok.data).toEqual({ reservation_ttl_seconds: 10 });
    for (const seconds of [9, 86401]) {
      const { error, status } = await owner.from('vendors').update({ reservation_ttl_seconds: seconds }).eq('id', t.vendorId);
      expect(status).toBe(400);
      expect(error).toMatchObject({ code: '23514', message: 'new row for relation "vendors" violates check constraint "vendors_reservation_ttl_range"' });
    }
  });

  it("owners set max_reservation_extensions (0 to 10) of their own vendor only", async () => {
    const [t, other] = await Promise.all([createTenant(), createTenant()]);
    const shopper = await createUser();
    const owner = clientFor(t.owner.token);
    const ok = await owner.from('vendors').update({ max_reservation_extensions: 0 }).eq('id', t.vendorId).select('max_reservation_extensions').single();
    expect(ok.data).toEqual({ max_reservation_extensions: 0 });
    const { error, status } = await owner.from('vendors').update({ max_reservation_extensions: 11 }).eq('id', t.vendorId);
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: '23514', message: 'new row for relation "vendors" violates check constraint "vendors_max_reservation_extensions_range"' });
    for (const [client, vendorId] of [[owner, other.vendorId], [clientFor(shopper.token), t.vendorId]] as const) {
      const denied = await client.from('vendors').update({ max_reservation_extensions: 5 }).eq('id', vendorId).select('id');
      expect({ status: denied.status, data: denied.data }).toEqual({ status: 200, data: [] });
    }
    const { rows } = await db().query('select id, max_reservation_extensions from public.vendors where id = any ($1) order by id', [[t.vendorId, other.vendorId]]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.max_reservation_extensions]))).toEqual({ [t.vendorId]: 0, [other.vendorId]: 2 });
  });
});
