import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { createUser, env, nodeClient, PASSWORD, uniqueEmail } from './support.ts';

let pool: pg.Pool | undefined;
/** Superuser connections to the e2e stack's database, for arranging data. */
export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: env('E2E_DB_URL'), max: 3 });
  return pool;
}

export async function closeDb(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

/** adjust_stock as the service role, the way PostgREST runs a request: role and claims in one transaction. */
export async function adjustStock(productId: string, locationId: string, delta: number): Promise<void> {
  const client = await db().connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
    await client.query(
      `select public.adjust_stock(product_id => $1, location_id => $2, delta => $3, reason => 'e2e stock change', idempotency_key => $4)`,
      [productId, locationId, delta, `e2e-${randomUUID()}`],
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

export interface TestVendor {
  label: string;
  vendorId: string;
  vendorName: string;
  ownerEmail: string;
  locations: Array<{ id: string; name: string }>;
  products: Array<{ id: string; sku: string; name: string }>;
}

/**
 * A vendor of its own with an owner who can sign in, `locations` named locations and `products`
 * active products (SKU E2E-<label>-<n>, low stock at 3 or fewer), each stocked with `stock` units
 * at every location through the ledger.
 */
export async function createVendor(opts: { products?: number; locations?: string[]; stock?: number } = {}): Promise<TestVendor> {
  const label = randomUUID().slice(0, 8);
  const ownerEmail = uniqueEmail('vendor');
  await createUser(ownerEmail);
  const vendorName = `E2E Vendor ${label}`;
  const locationNames = opts.locations ?? ['Main warehouse', 'Corner shop'];
  const { rows } = await db().query<{ vendor_id: string; locations: Array<{ id: string; name: string }>; products: Array<{ id: string; sku: string; name: string }> }>(
    `with vendor as (insert into public.vendors (name) values ($1) returning id),
     member as (insert into public.vendor_members (vendor_id, user_id, role) select vendor.id, u.id, 'owner' from vendor, auth.users u where u.email = $2),
     locations as (insert into public.locations (vendor_id, name) select vendor.id, l.name from vendor, unnest($3::text[]) with ordinality l (name, n) order by l.n returning id, name),
     products as (
       insert into public.products (vendor_id, sku, name, price, low_stock_threshold)
       select vendor.id, 'E2E-' || $4 || '-' || lpad(n::text, 3, '0'), 'Item ' || lpad(n::text, 3, '0') || ' ' || $4, 12.5, 3
       from vendor, generate_series(1, $5::int) n order by n
       returning id, sku, name
     )
     select (select id from vendor) as vendor_id,
            (select json_agg(json_build_object('id', id, 'name', name) order by name) from locations) as locations,
            (select json_agg(json_build_object('id', id, 'sku', sku, 'name', name) order by sku) from products) as products`,
    [vendorName, ownerEmail, locationNames, label, opts.products ?? 2],
  );
  const row = rows[0]!;
  const vendor = { label, vendorId: row.vendor_id, vendorName, ownerEmail, locations: row.locations, products: row.products };
  if (opts.stock) for (const p of vendor.products) for (const l of vendor.locations) await adjustStock(p.id, l.id, opts.stock);
  return vendor;
}

export async function levelOf(productId: string, locationId: string): Promise<{ on_hand: number; reserved: number; version: number }> {
  const { rows } = await db().query(`select on_hand, reserved, version::int as version from public.inventory_levels where product_id = $1 and location_id = $2`, [productId, locationId]);
  return rows[0] ?? { on_hand: 0, reserved: 0, version: 0 };
}

export async function movementsOf(productId: string): Promise<Array<{ kind: string; on_hand_delta: number; reason: string | null }>> {
  const { rows } = await db().query(`select kind, on_hand_delta, reason from public.stock_movements where product_id = $1 order by id`, [productId]);
  return rows;
}


/** A supabase-js client of a new shopper, signed in, as another device would be. */
export async function shopperClient(): Promise<SupabaseClient> {
  const email = uniqueEmail('shopper');
  await createUser(email);
  const client = nodeClient();
  const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw error;
  return client;
}
