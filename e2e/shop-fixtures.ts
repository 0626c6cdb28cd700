import { randomUUID } from 'node:crypto';
import { db } from './stock-fixtures.ts';
import { createUser, nodeClient, PASSWORD, uniqueEmail } from './support.ts';

// Data the shop's specs arrange: a vendor of their own with stocked products, its owner on the
// vendor feed, shoppers signed in through the UI. Arranged as the superuser or as the service
// role through the RPCs, so the ledger explains every figure.


export interface ShelfProduct {
  id: string;
  name: string;
}

export interface Shelf {
  label: string;
  vendorId: string;
  vendorName: string;
  locationId: string;
  products: ShelfProduct[];
}

export interface ShelfOptions {
  /** Product names (the label is appended, so names are unique across tests). */
  names?: string[];
  price?: number;
  /** Low stock at or below this. */
  lowStockThreshold?: number;
  /** The vendor's hold time (reservation_ttl_seconds). */
  ttlSeconds?: number;
  maxExtensions?: number;
}

/** A vendor of its own with one location and active products (unstocked). */
export async function createShelf(opts: ShelfOptions = {}): Promise<Shelf> {
  const label = randomUUID().slice(0, 8);
  const vendorName = `E2E Goods ${label}`;
  const names = opts.names ?? ['Storm lantern', 'Camp stove'];
  const { rows } = await db().query<{ vendor_id: string; location_id: string; product_ids: string[] }>(
    `with vendor as (
       insert into public.vendors (name, reservation_ttl_seconds, max_reservation_extensions) values ($1, $5, $6) returning id
     ),
     location as (insert into public.locations (vendor_id, name) select id, 'Depot' from vendor returning id),
     products as (
       insert into public.products (vendor_id, sku, name, price, low_stock_threshold)
       select vendor.id, 'E2E-' || $2 || '-' || n.i, n.name || ' ' || $2, $4, $7
       from vendor, unnest($3::text[]) with ordinality as n (name, i)
       order by n.i
       returning id
     )
     select (select id from vendor) as vendor_id, (select id from location) as location_id, array(select id from products) as product_ids`,
    [vendorName, label, names, opts.price ?? 19.99, opts.ttlSeconds ?? 600, opts.maxExtensions ?? 2, opts.lowStockThreshold ?? 3],
  );
  const row = rows[0]!;
  // Insert order is not guaranteed to be the order of array(): match ids to names by SKU.
  const { rows: products } = await db().query<{ id: string; name: string }>(
    `select id, name from public.products where vendor_id = $1 order by split_part(sku, '-', 3)::int`,
    [row.vendor_id],
  );
  return { label, vendorName, vendorId: row.vendor_id, locationId: row.location_id, products };
}



/** A new shopper account (signed up through Auth); returns its email and id. */
export async function createShopper(label = 'shopper'): Promise<{ email: string; id: string }> {
  const email = uniqueEmail(label);
  await createUser(email);
  const { rows } = await db().query<{ id: string }>('select id from auth.users where email = $1', [email]);
  return { email, id: rows[0]!.id };
}

export interface StockLevelEvent {
  product_id: string;
  on_hand: number;
  reserved: number;
  available: number;
  version: number;
}

/**
 * The shelf's owner, signed in with supabase-js in Node and joined to the vendor's private
 * `vendor:<id>:stock` feed: what the vendor's inventory grid receives.
 */
export async function watchVendorFeed(shelf: Shelf) {
  const owner = await createShopper('owner');
  await db().query(`insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, 'owner')`, [shelf.vendorId, owner.id]);
  const client = nodeClient();
  const { error } = await client.auth.signInWithPassword({ email: owner.email, password: PASSWORD });
  if (error) throw error;
  await client.realtime.setAuth();
  const levels: Array<StockLevelEvent & { receivedAt: number }> = [];
  const channel = client.channel(`vendor:${shelf.vendorId}:stock`, { config: { private: true } });
  channel.on('broadcast', { event: 'stock_level' }, ({ payload }) => levels.push({ ...(payload as StockLevelEvent), receivedAt: Date.now() }));
  await new Promise<void>((resolve, reject) =>
    channel.subscribe((status, err) => (status === 'SUBSCRIBED' ? resolve() : status !== 'CLOSED' && reject(err ?? new Error(status)))),
  );
  return {
    levels,
    /** The level events of a product, oldest first. */
    of: (productId: string) => levels.filter((l) => l.product_id === productId),
    close: async () => {
      await client.removeAllChannels();
      await client.auth.signOut();
    },
  };
}


/** The shopper's reservations of a product, newest last. */
export async function reservationsOf(customerId: string, productId: string) {
  const { rows } = await db().query<{ id: string; quantity: number; status: string; expires_at: Date }>(
    'select id, quantity, status, expires_at from public.reservations where customer_id = $1 and product_id = $2 order by created_at',
    [customerId, productId],
  );
  return rows;
}

