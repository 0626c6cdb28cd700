import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { addMember, createAdmin, createTenant, createUser, newKey, restock, type Tenant, type TestUser } from './helpers/fixtures.ts';
import { anonCaller, apiError, rpc, rpcRows, serviceCaller, type Caller } from './helpers/sql.ts';

// cart_lines(): the caller's own holds with what the cart shows.

interface CartLine {
  reservation_id: string;
  vendor_id: string;
  vendor_name: string;
  product_id: string;
  product_name: string;
  sku: string;
  unit_price: number;
  quantity: number;
  status: 'active' | 'expired';
  expires_at: string;
  extensions_left: number;
  hold_seconds: number;
  for_sale: boolean;
  available: number;
  availability_version: number;
  low_stock_threshold: number;
  server_time: string;
}

async function stocked(opts: { products?: number; ttlSeconds?: number } = {}): Promise<Tenant & { name: string }> {
  const t = await createTenant({ locations: 1, products: opts.products ?? 1, price: 12.5, ...(opts.ttlSeconds ? { ttlSeconds: opts.ttlSeconds } : {}) });
  for (const p of t.productIds) await restock(p, t.locationIds[0]!, 10);
  const { rows } = await db().query<{ name: string }>('select name from public.vendors where id = $1', [t.vendorId]);
  return { ...t, name: rows[0]!.name };
}

const reserve = async (caller: Caller, productId: string, quantity = 1, ttlSeconds = 600) =>
  (await rpc<{ id: string; expires_at: string }>(caller, 'reserve_stock', { product_id: productId, quantity, idempotency_key: newKey(), ttl_seconds: ttlSeconds })).data;
const cart = (caller: Caller) => rpcRows<CartLine>(caller, 'cart_lines');

describe('cart_lines', () => {
  it("lists the caller's active holds with vendor and product names, price, availability and extensions left", async () => {
    const [a, b] = await Promise.all([stocked({ products: 2 }), stocked()]);
    const shopper = await createUser();
    const started = Date.now();
    const first = await reserve(shopper.caller, a.productIds[0]!, 3);
    const second = await reserve(shopper.caller, a.productIds[1]!, 1);
    const third = await reserve(shopper.caller, b.productIds[0]!, 2);
    const lines = await cart(shopper.caller);
    expect(lines.map((l) => l.reservation_id).sort()).toEqual([first.id, second.id, third.id].sort());
    const line = lines.find((l) => l.reservation_id === first.id)!;
    expect(line).toMatchObject({
      vendor_id: a.vendorId, vendor_name: a.name, product_id: a.productIds[0], product_name: 'Product 1', unit_price: 12.5, quantity: 3,
      status: 'active', expires_at: first.expires_at, extensions_left: 2, hold_seconds: 600, for_sale: true, available: 7, low_stock_threshold: 5,
    });
    expect(line.sku).toMatch(/^SKU-.+-1$/);
    expect(Math.abs(Date.parse(line.server_time) - started)).toBeLessThan(5000);
    // Grouped by vendor name, then in the order they were reserved.
    const names = lines.map((l) => l.vendor_name);
    expect(names).toEqual([...names].sort());
    expect(lines.filter((l) => l.vendor_id === a.vendorId).map((l) => l.reservation_id)).toEqual([first.id, second.id]);
  });

  it('shows a lapsed hold as expired until the shopper reserves that product again; released and checked-out holds leave', async () => {
    const t = await stocked({ products: 3 });
    const shopper = await createUser();
    const lapsed = await reserve(shopper.caller, t.productIds[0]!, 1, 1);
    const released = await reserve(shopper.caller, t.productIds[1]!);
    const bought = await reserve(shopper.caller, t.productIds[2]!);
    await rpc(shopper.caller, 'release_reservation', { reservation_id: released.id, idempotency_key: newKey() });
    await rpc(shopper.caller, 'checkout', { reservation_ids: [bought.id], idempotency_key: newKey() });
    await new Promise((r) => setTimeout(r, 1100));

    const lines = await cart(shopper.caller);
    expect(lines.map((l) => [l.reservation_id, l.status])).toEqual([[lapsed.id, 'expired']]);
    // Swept or not, it reads the same; the sweeper returns its stock.
    await rpc(serviceCaller, 'expire_reservations');
    expect((await cart(shopper.caller)).map((l) => [l.reservation_id, l.status, l.available])).toEqual([[lapsed.id, 'expired', 10]]);

    const again = await reserve(shopper.caller, t.productIds[0]!, 1);
    expect((await cart(shopper.caller)).map((l) => [l.reservation_id, l.status])).toEqual([[again.id, 'active']]);
  });

  it('keeps a hold whose product was deactivated since, marked not for sale', async () => {
    const t = await stocked();
    const shopper = await createUser();
    const held = await reserve(shopper.caller, t.productIds[0]!, 2);
    await db().query('update public.products set active = false where id = $1', [t.productIds[0]]);
    const [line] = await cart(shopper.caller);
    expect(line).toMatchObject({ reservation_id: held.id, product_name: 'Product 1', for_sale: false, available: 0, status: 'active' });
  });

  it("reports extensions left and the vendor's hold time", async () => {
    const t = await stocked({ ttlSeconds: 90 });
    await db().query('update public.vendors set max_reservation_extensions = 1 where id = $1', [t.vendorId]);
    const shopper = await createUser();
    const held = await reserve(shopper.caller, t.productIds[0]!);
    expect((await cart(shopper.caller))[0]).toMatchObject({ extensions_left: 1, hold_seconds: 90 });
    await rpc(shopper.caller, 'extend_reservation', { reservation_id: held.id, idempotency_key: newKey() });
    expect((await cart(shopper.caller))[0]).toMatchObject({ extensions_left: 0 });
  });

  it("shows every role only the caller's own holds; anon and the service role may not call it", async () => {
    const t = await stocked();
    const [shopper, stranger, admin] = await Promise.all([createUser(), createUser(), createAdmin()]);
    const staff = await addMember(t.vendorId);
    const held = await reserve(shopper.caller, t.productIds[0]!);
    const ownerHold = await reserve(t.owner.caller, t.productIds[0]!);
    const adminHold = await reserve(admin.caller, t.productIds[0]!);
    const ids = async (who: TestUser) => (await cart(who.caller)).map((l) => l.reservation_id);
    expect(await ids(shopper)).toEqual([held.id]);
    expect(await ids(stranger)).toEqual([]);
    // The vendor's members and admins see their own purchases here, never their customers'.
    expect(await ids(t.owner)).toEqual([ownerHold.id]);
    expect(await ids(staff)).toEqual([]);
    expect(await ids(admin)).toEqual([adminHold.id]);
    for (const [caller, status] of [[anonCaller, 401], [serviceCaller, 403]] as const) {
      const err = await apiError(cart(caller));
      expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: '42501', status, message: 'permission denied for function cart_lines' });
    }
  });

  it('answers 401 not_authenticated to a token without a user', async () => {
    const err = await apiError(cart({ role: 'authenticated', claims: { role: 'authenticated' } }));
    expect({ code: err.code, status: err.status }).toEqual({ code: 'not_authenticated', status: 401 });
  });
});
