import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { db, uniqueSuffix, userWithToken } from '../../../stack/tests/support.ts';
import { rpc, rpcRows, serviceCaller, userCaller, type Caller } from './sql.ts';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  client: SupabaseClient;
  caller: Caller;
}

export async function createUser(appMetadata: Record<string, unknown> = {}): Promise<TestUser> {
  const user = await userWithToken(appMetadata);
  return { ...user, caller: userCaller(user.id, appMetadata) };
}

export const createAdmin = () => createUser({ role: 'admin' });

export interface Tenant {
  vendorId: string;
  owner: TestUser;
  locationIds: string[];
  productIds: string[];
}

/** A vendor with an owner, `locations` locations and `products` active products, unstocked. */
export async function createTenant(opts: { products?: number; locations?: number; ttlSeconds?: number; price?: number } = {}): Promise<Tenant> {
  const suffix = uniqueSuffix();
  const owner = await createUser();
  const { rows: [vendor] } = await db().query<{ id: string }>(
    'insert into public.vendors (name, reservation_ttl_seconds) values ($1, $2) returning id',
    [`Test vendor ${suffix}`, opts.ttlSeconds ?? 600],
  );
  const vendorId = vendor!.id;
  await db().query(`insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, 'owner')`, [vendorId, owner.id]);
  const { rows: locations } = await db().query<{ id: string }>(
    `insert into public.locations (vendor_id, name) select $1, 'Location ' || n from generate_series(1, $2::int) n order by n returning id`,
    [vendorId, opts.locations ?? 2],
  );
  const { rows: products } = await db().query<{ id: string }>(
    `insert into public.products (vendor_id, sku, name, price)
     select $1, 'SKU-' || $2 || '-' || n, 'Product ' || n, $3 from generate_series(1, $4::int) n order by n returning id`,
    [vendorId, suffix, opts.price ?? 10, opts.products ?? 1],
  );
  return { vendorId, owner, locationIds: locations.map((l) => l.id), productIds: products.map((p) => p.id) };
}

export async function addMember(vendorId: string, role: 'owner' | 'staff' = 'staff'): Promise<TestUser> {
  const user = await createUser();
  await db().query('insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, $3)', [vendorId, user.id, role]);
  return user;
}

/** Adds stock through adjust_stock as the service role, so the ledger explains it. */
export async function restock(productId: string, locationId: string, quantity: number): Promise<void> {
  await rpc(serviceCaller, 'adjust_stock', { product_id: productId, location_id: locationId, delta: quantity, reason: 'test restock', idempotency_key: newKey() });
}

export const newKey = () => `test-${randomUUID()}`;

export interface Level {
  product_id: string;
  location_id: string;
  vendor_id: string;
  on_hand: number;
  reserved: number;
  available: number;
  version: number;
}

export async function levelsOf(productId: string): Promise<Level[]> {
  const { rows } = await db().query<Level>(
    `select product_id, location_id, vendor_id, on_hand, reserved, available, version::int as version
     from public.inventory_levels where product_id = $1 order by location_id`,
    [productId],
  );
  return rows;
}

/** Drift rows (ledger vs counters vs active reservations) of the given vendors; [] when consistent. */
export async function driftOf(vendorIds: string[]): Promise<unknown[]> {
  const rows = await rpcRows<{ vendor_id: string }>(serviceCaller, 'stock_drift_report');
  return rows.filter((r) => vendorIds.includes(r.vendor_id));
}
