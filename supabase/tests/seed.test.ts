import { describe, expect, it } from 'vitest';
import { anonClient, db } from '../../stack/tests/support.ts';
import { rpcRows, serviceCaller } from './helpers/sql.ts';

// The one test that reads the seed's rows: it checks their shape, and changes nothing.

const vendorA = 'b0000000-0000-4000-8000-00000000000a';
const vendorB = 'b0000000-0000-4000-8000-00000000000b';
const emails = ['admin@example.com', 'vendor.a@example.com', 'vendor.b@example.com', 'shopper@example.com'];

describe('supabase/seed.sql', () => {
  it('has the four demo users with password demo-password (bcrypt), email identities, and one admin', async () => {
    const { rows } = await db().query(
      `select u.email, u.encrypted_password like '$2a$%' as bcrypt,
              u.encrypted_password = extensions.crypt('demo-password', u.encrypted_password) as password_ok,
              u.email_confirmed_at is not null as confirmed, u.raw_app_meta_data ->> 'role' as app_role,
              (select count(*)::int from auth.identities i where i.user_id = u.id and i.provider = 'email' and i.email = u.email) as identities
       from auth.users u where u.email = any ($1) order by u.email`,
      [emails],
    );
    expect(rows).toEqual([...emails].sort().map((email) => ({
      email, bcrypt: true, password_ok: true, confirmed: true, app_role: email === 'admin@example.com' ? 'admin' : null, identities: 1,
    })));
  });

  it('has two vendors owned by vendor.a and vendor.b; the shopper and the admin belong to none', async () => {
    const { rows } = await db().query(
      `select u.email, m.vendor_id, m.role from auth.users u left join public.vendor_members m on m.user_id = u.id
       where u.email = any ($1) order by u.email`,
      [emails],
    );
    expect(rows).toEqual([
      { email: 'admin@example.com', vendor_id: null, role: null },
      { email: 'shopper@example.com', vendor_id: null, role: null },
      { email: 'vendor.a@example.com', vendor_id: vendorA, role: 'owner' },
      { email: 'vendor.b@example.com', vendor_id: vendorB, role: 'owner' },
    ]);
  });

  it('gives each vendor at least 30 active products stocked at at least 2 locations, explained by the ledger', async () => {
    const { rows } = await db().query(
      `select v.id,
              (select count(*)::int from public.products p where p.vendor_id = v.id and p.active) as products,
              (select count(*)::int from public.locations l where l.vendor_id = v.id) as locations,
              (select count(*)::int from public.products p where p.vendor_id = v.id
                 and (select count(*) from public.inventory_levels il where il.product_id = p.id) >= 2) as stocked_at_two,
              (select sum(on_hand)::int from public.inventory_levels il where il.vendor_id = v.id) as on_hand
       from public.vendors v where v.id = any ($1) order by v.id`,
      [[vendorA, vendorB]],
    );
    expect(rows).toHaveLength(2);
    for (const v of rows) {
      expect(v.products).toBeGreaterThanOrEqual(30);
      expect(v.locations).toBeGreaterThanOrEqual(2);
      expect(v.stocked_at_two).toBe(v.products);
      expect(v.on_hand).toBeGreaterThan(0);
    }
    const drift = (await rpcRows<{ vendor_id: string }>(serviceCaller, 'stock_drift_report')).filter((d) => [vendorA, vendorB].includes(d.vendor_id));
    expect(drift).toEqual([]);
  });

  it('lets every demo user sign in through Auth with demo-password', async () => {
    for (const email of emails) {
      const client = anonClient();
      const { data, error } = await client.auth.signInWithPassword({ email, password: 'demo-password' });
      expect(error).toBeNull();
      expect(data.user!.email).toBe(email);
      expect(data.user!.app_metadata.role).toBe(email === 'admin@example.com' ? 'admin' : undefined);
    }
  });
});
