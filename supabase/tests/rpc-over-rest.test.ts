import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { anonClient, db, stack } from '../../stack/tests/support.ts';
import { createTenant, createUser, newKey, restock, type Tenant } from './helpers/fixtures.ts';

// The RPCs and tables through supabase-js and the stack's REST, so the HTTP statuses, error
// bodies and headers of the catalog (supabase/README.md) are checked end to end.

/** A supabase-js client for `token` that also records the last response's headers. */
function recordingClient(token?: string): { client: SupabaseClient; last: () => Headers } {
  let headers = new Headers();
  const client = createClient(stack().apiUrl, stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    ...(token ? { accessToken: async () => token } : {}),
    global: {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        headers = response.headers;
        return response;
      },
    },
  });
  return { client, last: () => headers };
}

async function stocked(quantity: number, locations = 1): Promise<Tenant> {
  const t = await createTenant({ locations });
  for (const l of t.locationIds) await restock(t.productIds[0]!, l, quantity);
  return t;
}

const reserveArgs = (productId: string, quantity = 1, key = newKey()) => ({ product_id: productId, quantity, idempotency_key: key });

describe('RPCs over REST', () => {
  it('reserve, replay (Idempotent-Replayed), release and checkout with 200s', async () => {
    const t = await stocked(10);
    const shopper = await createUser();
    const { client, last } = recordingClient(shopper.token);
    const args = reserveArgs(t.productIds[0]!, 2);
    const first = await client.rpc('reserve_stock', args);
    expect(first.error).toBeNull();
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({ product_id: t.productIds[0], quantity: 2, status: 'active', customer_id: shopper.id });
    expect(last().get('idempotent-replayed')).toBeNull();

    const replay = await client.rpc('reserve_stock', args);
    expect(replay.status).toBe(200);
    expect(replay.data).toEqual(first.data);
    expect(last().get('idempotent-replayed')).toBe('true');

    const released = await client.rpc('release_reservation', { reservation_id: first.data.id, idempotency_key: newKey() });
    expect({ status: released.status, state: released.data?.status }).toEqual({ status: 200, state: 'released' });

    const second = await client.rpc('reserve_stock', reserveArgs(t.productIds[0]!, 3));
    const order = await client.rpc('checkout', { reservation_ids: [second.data.id], idempotency_key: newKey() });
    expect(order.status).toBe(200);
    expect(order.data).toMatchObject({ vendor_id: t.vendorId, customer_id: shopper.id, status: 'placed', item_count: 3 });
  });

  it('answers the catalog errors with their statuses and bodies', async () => {
    const t = await stocked(2);
    const shopper = await createUser();
    const { client } = recordingClient(shopper.token);
    const vendor = recordingClient(t.owner.token).client;
    const p = t.productIds[0]!;
    const expectError = async (call: PromiseLike<{ error: unknown; status: number }>, status: number, body: Record<string, unknown>) => {
      const { error, status: got } = await call;
      expect(got).toBe(status);
      expect(error).toMatchObject(body);
    };

    await expectError(client.rpc('reserve_stock', reserveArgs(p, 5)), 409, {
      code: 'insufficient_stock', message: 'Not enough stock available', details: 'requested 5, at most 2 available at one location', hint: null,
    });
    await expectError(client.rpc('reserve_stock', reserveArgs(p, 0)), 400, { code: 'invalid_quantity', message: 'quantity must be a positive integer' });
    await expectError(client.rpc('reserve_stock', { product_id: p, quantity: 1 }), 400, { code: 'idempotency_key_required' });
    await expectError(client.rpc('reserve_stock', reserveArgs(p, 1, 'short')), 400, { code: 'idempotency_key_invalid' });
    await expectError(client.rpc('reserve_stock', reserveArgs('00000000-0000-4000-8000-000000000000')), 404, { code: 'product_not_found' });

    const key = newKey();
    expect((await client.rpc('reserve_stock', reserveArgs(p, 1, key))).status).toBe(200);
    await expectError(client.rpc('reserve_stock', reserveArgs(p, 2, key)), 422, {
      code: 'idempotency_key_reused', message: 'This idempotency key was already used with different arguments',
    });

    await expectError(client.rpc('adjust_stock', { product_id: p, location_id: t.locationIds[0], delta: 1, reason: 'x', idempotency_key: newKey() }), 403, {
      code: 'forbidden', message: "Only members of this product's vendor can change its stock",
    });
    const level = (await vendor.from('inventory_levels').select('version').eq('product_id', p).single()).data!;
    await expectError(vendor.rpc('set_stock', { product_id: p, location_id: t.locationIds[0], on_hand: 9, expected_version: level.version - 1, idempotency_key: newKey() }), 409, {
      code: 'version_conflict', details: `expected version ${level.version - 1}, current version ${level.version}`,
    });

    const held = await client.rpc('reserve_stock', reserveArgs(p, 1));
    await client.rpc('release_reservation', { reservation_id: held.data.id, idempotency_key: newKey() });
    await expectError(client.rpc('checkout', { reservation_ids: [held.data.id], idempotency_key: newKey() }), 409, {
      code: 'reservation_not_active', details: `reservation ${held.data.id} is released`,
    });

    await expectError(anonClient().rpc('reserve_stock', reserveArgs(p)), 401, { code: '42501', message: 'permission denied for function reserve_stock' });
  });

  it('answers 409 for a reservation past its TTL', async () => {
    const t = await stocked(2);
    const shopper = await createUser();
    const { client } = recordingClient(shopper.token);
    const held = await client.rpc('reserve_stock', { ...reserveArgs(t.productIds[0]!), ttl_seconds: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    const { error, status } = await client.rpc('checkout', { reservation_ids: [held.data.id], idempotency_key: newKey() });
    expect(status).toBe(409);
    // Expired in place, or already swept by the stack's sweeper.
    expect(['reservation_expired', 'reservation_not_active']).toContain(error!.code);
  });

  it('rate-limits stock changes per user with 429 and Retry-After, without effect', async () => {
    const t = await stocked(200);
    const [shopper, neighbour] = await Promise.all([createUser(), createUser()]);
    const { client, last } = recordingClient(shopper.token);
    let limited: { error: { code: string; message: string }; retryAfter: string | null } | undefined;
    let granted = 0;
    for (let i = 0; i < 100 && !limited; i++) {
      const { error, status } = await client.rpc('reserve_stock', reserveArgs(t.productIds[0]!));
      if (status === 429) limited = { error: error as never, retryAfter: last().get('retry-after') };
      else if (error) throw error;
      else granted++;
    }
    expect(limited).toBeDefined();
    expect(granted).toBeGreaterThanOrEqual(60);
    expect(limited!.error).toMatchObject({ code: 'rate_limited', message: 'Too many requests', details: 'at most 60 stock changes per 60 seconds' });
    expect(Number(limited!.retryAfter)).toBeGreaterThanOrEqual(1);
    const { rows } = await db().query('select count(*)::int as n from public.reservations where customer_id = $1', [shopper.id]);
    expect(rows[0].n).toBe(granted);

    // Reads and other users are not limited.
    expect((await client.from('reservations').select('id').limit(1)).status).toBe(200);
    expect((await recordingClient(neighbour.token).client.rpc('reserve_stock', reserveArgs(t.productIds[0]!))).status).toBe(200);
    await new Promise((r) => setTimeout(r, Number(limited!.retryAfter) * 1000));
    expect((await client.rpc('reserve_stock', reserveArgs(t.productIds[0]!))).status).toBe(200);
  });
});

describe('tables over REST', () => {
  it('anon reads availability of active products, never stock rows, the ledger or reservations', async () => {
    const t = await stocked(5, 2);
    const anon = anonClient();
    const availability = await anon.from('product_availability').select('*').eq('product_id', t.productIds[0]!);
    expect(availability.status).toBe(200);
    expect(availability.data).toEqual([expect.objectContaining({ product_id: t.productIds[0], available: 10, version: 4 })]);
    expect(Object.keys(availability.data![0]).sort()).toEqual(['available', 'description', 'low_stock_threshold', 'name', 'price', 'product_id', 'sku', 'vendor_id', 'vendor_name', 'version']);
    for (const table of ['inventory_levels', 'stock_movements', 'reservations', 'orders', 'locations']) {
      const { status, error } = await anon.from(table).select('*').limit(1);
      expect({ table, status, code: error?.code, message: error?.message }).toEqual({ table, status: 401, code: '42501', message: `permission denied for table ${table}` });
    }
  });

  it('refuses direct writes to stock tables with 403, even for the vendor', async () => {
    const [t, shopper] = await Promise.all([stocked(5, 2), createUser()]);
    const vendor = recordingClient(t.owner.token).client;
    const insert = await vendor.from('inventory_levels').insert({ product_id: t.productIds[0], location_id: t.locationIds[0], vendor_id: t.vendorId, on_hand: 99 });
    expect({ status: insert.status, code: insert.error?.code, message: insert.error?.message }).toEqual({ status: 403, code: '42501', message: 'permission denied for table inventory_levels' });
    const update = await vendor.from('inventory_levels').update({ on_hand: 99 }).eq('product_id', t.productIds[0]!);
    expect({ status: update.status, code: update.error?.code }).toEqual({ status: 403, code: '42501' });
    const forge = await recordingClient(shopper.token).client.from('reservations').insert({ product_id: t.productIds[0], quantity: 1 });
    expect({ status: forge.status, code: forge.error?.code }).toEqual({ status: 403, code: '42501' });
    const ledger = await vendor.from('stock_movements').delete().eq('product_id', t.productIds[0]!);
    expect({ status: ledger.status, code: ledger.error?.code }).toEqual({ status: 403, code: '42501' });
  });

  it("lets members manage their catalog under RLS, not another vendor's", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const vendorA = recordingClient(a.owner.token).client;
    const added = await vendorA.from('products').insert({ vendor_id: a.vendorId, sku: `REST-${Date.now()}`, name: 'Added over REST', price: 4.5 }).select().single();
    expect(added.status).toBe(201);
    const foreign = await vendorA.from('products').insert({ vendor_id: b.vendorId, sku: `REST-${Date.now()}`, name: 'Sneaky', price: 1 });
    expect({ status: foreign.status, code: foreign.error?.code, message: foreign.error?.message }).toEqual({
      status: 403, code: '42501', message: 'new row violates row-level security policy for table "products"',
    });
    const renamed = await vendorA.from('products').update({ name: 'Renamed' }).eq('id', b.productIds[0]!).select();
    expect({ status: renamed.status, rows: renamed.data }).toEqual({ status: 200, rows: [] });
  });
});
