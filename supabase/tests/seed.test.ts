import { describe, expect, it } from 'vitest';
import { anonClient, db } from '../../stack/tests/support.ts';
import { rpcRows, serviceCaller } from './helpers/sql.ts';

// The one test that reads the seed's rows: it checks their shape, and changes nothing. The seed's
// holds expire after the vendor's TTL (10 or 15 minutes) while the test run goes on, so no
// assertion depends on them being still active.

const vendorA = 'b0000000-0000-4000-8000-00000000000a';
const vendorB = 'b0000000-0000-4000-8000-00000000000b';
const vendors = [vendorA, vendorB];
const emails = ['admin@example.com', 'vendor.a@example.com', 'vendor.b@example.com', 'shopper@example.com'];
const customers = ['lena.fischer@example.com', 'marcus.lee@example.com', 'priya.shah@example.com'];

describe('supabase/seed.sql', () => {
  it('has the four demo users and three other customers with password demo-password (bcrypt), email identities, and one admin', async () => {
    const { rows } = await db().query(
      `select u.email, u.encrypted_password like '$2a$%' as bcrypt,
              u.encrypted_password = extensions.crypt('demo-password', u.encrypted_password) as password_ok,
              u.email_confirmed_at is not null as confirmed, u.raw_app_meta_data ->> 'role' as app_role,
              (select count(*)::int from auth.identities i where i.user_id = u.id and i.provider = 'email' and i.email = u.email) as identities
       from auth.users u where u.email = any ($1) order by u.email`,
      [[...emails, ...customers]],
    );
    expect(rows).toEqual([...emails, ...customers].sort().map((email) => ({
      email, bcrypt: true, password_ok: true, confirmed: true, app_role: email === 'admin@example.com' ? 'admin' : null, identities: 1,
    })));
  });

  it('has two vendors owned by vendor.a and vendor.b; the shoppers and the admin belong to none', async () => {
    const { rows } = await db().query(
      `select u.email, m.vendor_id, m.role from auth.users u left join public.vendor_members m on m.user_id = u.id
       where u.email = any ($1) order by u.email`,
      [[...emails, ...customers]],
    );
    expect(rows).toEqual([
      { email: 'admin@example.com', vendor_id: null, role: null },
      ...customers.map((email) => ({ email, vendor_id: null, role: null })),
      { email: 'shopper@example.com', vendor_id: null, role: null },
      { email: 'vendor.a@example.com', vendor_id: vendorA, role: 'owner' },
      { email: 'vendor.b@example.com', vendor_id: vendorB, role: 'owner' },
    ]);
  });

  it('gives each vendor three named locations and 30 to 40 products, some inactive, each stocked at every location', async () => {
    const { rows: locations } = await db().query(`select id, vendor_id, name from public.locations where vendor_id = any ($1) order by id`, [vendors]);
    expect(locations.map((l) => l.id)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((s) => `c0000000-0000-4000-8000-0000000000${s}`));
    expect(locations.map((l) => l.vendor_id)).toEqual([vendorA, vendorA, vendorA, vendorB, vendorB, vendorB]);
    expect(new Set(locations.map((l) => l.name)).size).toBe(6);

    const { rows } = await db().query(
      `select v.id, v.name,
              (select count(*)::int from public.products p where p.vendor_id = v.id) as products,
              (select count(*)::int from public.products p where p.vendor_id = v.id and not p.active) as inactive,
              (select count(*)::int from public.products p where p.vendor_id = v.id
                 and (select count(*) from public.inventory_levels il where il.product_id = p.id) = 3) as stocked_everywhere,
              (select count(distinct p.price)::int from public.products p where p.vendor_id = v.id) as prices,
              (select count(*)::int from public.products p where p.vendor_id = v.id and p.description like 'Demo product%') as placeholder_descriptions
       from public.vendors v where v.id = any ($1) order by v.id`,
      [vendors],
    );
    expect(rows.map((v) => v.name)).toEqual(['Northwind Outfitters', 'Harbor Hardware']);
    for (const v of rows) {
      expect(v.products).toBeGreaterThanOrEqual(30);
      expect(v.products).toBeLessThanOrEqual(40);
      expect(v.inactive).toBeGreaterThanOrEqual(1);
      expect(v.inactive).toBeLessThanOrEqual(2);
      expect(v.stocked_everywhere).toBe(v.products);
      expect(v.prices).toBeGreaterThan(20);
      expect(v.placeholder_descriptions).toBe(0);
    }
  });

  it('has items low and out of stock: sold out everywhere, at or below the threshold, and empty at one location only', async () => {
    const { rows } = await db().query(
      `select a.vendor_id,
              count(*) filter (where a.available = 0)::int as sold_out,
              count(*) filter (where a.available > 0 and a.available <= a.low_stock_threshold)::int as low,
              count(*) filter (where a.available > a.low_stock_threshold)::int as plenty,
              (select count(*)::int from public.inventory_levels l where l.vendor_id = a.vendor_id and l.on_hand = 0
                 and exists (select 1 from public.inventory_levels o where o.product_id = l.product_id and o.on_hand > 0)) as empty_somewhere
       from public.product_availability a where a.vendor_id = any ($1) group by a.vendor_id order by a.vendor_id`,
      [vendors],
    );
    expect(rows).toHaveLength(2);
    for (const v of rows) {
      expect(v.sold_out).toBeGreaterThanOrEqual(1);
      expect(v.low).toBeGreaterThanOrEqual(2);
      expect(v.plenty).toBeGreaterThan(v.low + v.sold_out);
      expect(v.empty_somewhere).toBeGreaterThanOrEqual(3);
    }
  });

  it('made every stock change through the RPCs as the vendor owner or the customer, so the ledger explains every counter', async () => {
    const drift = (await rpcRows<{ vendor_id: string }>(serviceCaller, 'stock_drift_report')).filter((d) => vendors.includes(d.vendor_id));
    expect(drift).toEqual([]);
    const { rows } = await db().query(
      `select m.kind, m.actor_role, m.actor_id is not null as has_actor, m.idempotency_key like 'seed-%' as seed_key, count(*)::int as n
       from public.stock_movements m where m.vendor_id = any ($1) and m.kind <> 'expiry'
       group by 1, 2, 3, 4 order by 1`,
      [vendors],
    );
    expect(rows.map((r) => r.kind).sort()).toEqual(['adjustment', 'release', 'reservation', 'restock', 'sale']);
    for (const r of rows) expect(r).toMatchObject({ actor_role: 'authenticated', has_actor: true, seed_key: true });
  });

  it('gives the demo shopper an order history and an empty cart; the other customers have orders and items on hold', async () => {
    const { rows: orders } = await db().query(
      `select u.email, o.vendor_id, o.total::text, o.item_count,
              (select sum(line_total)::text from public.order_lines l where l.order_id = o.id) as lines_total,
              (select sum(quantity)::int from public.order_lines l where l.order_id = o.id) as lines_items
       from public.orders o join auth.users u on u.id = o.customer_id where o.vendor_id = any ($1) order by u.email`,
      [vendors],
    );
    const mine = orders.filter((o) => o.email === 'shopper@example.com');
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(new Set(mine.map((o) => o.vendor_id))).toEqual(new Set(vendors));
    for (const o of orders) {
      expect(o.lines_total).toBe(o.total);
      expect(o.lines_items).toBe(o.item_count);
    }
    for (const email of customers) expect(orders.filter((o) => o.email === email).length).toBeGreaterThanOrEqual(1);

    const { rows: holds } = await db().query(
      `select u.email, r.status, extract(epoch from r.expires_at - r.created_at)::float8 as ttl, v.reservation_ttl_seconds as vendor_ttl
       from public.reservations r join auth.users u on u.id = r.customer_id join public.vendors v on v.id = r.vendor_id
       where r.vendor_id = any ($1) and r.order_id is null order by u.email`,
      [vendors],
    );
    expect(holds.filter((h) => h.email === 'shopper@example.com')).toEqual([]);
    expect(holds.filter((h) => h.status === 'released')).toHaveLength(1);
    const held = holds.filter((h) => h.status !== 'released');
    expect(held.length).toBeGreaterThanOrEqual(4);
    expect(new Set(held.map((h) => h.email))).toEqual(new Set(customers));
    for (const h of held) {
      // Active until the vendor's TTL passes (counted from the seed transaction's start), then the sweeper expires them.
      expect(['active', 'expired']).toContain(h.status);
      expect(h.ttl).toBeGreaterThanOrEqual(h.vendor_ttl);
      expect(h.ttl).toBeLessThan(h.vendor_ttl + 60);
    }
  });

  it('lets every demo user sign in through Auth with demo-password', async () => {
    for (const email of [...emails, ...customers]) {
      const client = anonClient();
      const { data, error } = await client.auth.signInWithPassword({ email, password: 'demo-password' });
      expect(error).toBeNull();
      expect(data.user!.email).toBe(email);
      expect(data.user!.app_metadata.role).toBe(email === 'admin@example.com' ? 'admin' : undefined);
    }
  });
});
