import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { anonClient, db } from '../../stack/tests/support.ts';
import { createAdmin, createTenant, createUser, restock } from './helpers/fixtures.ts';

// Every view in public is read-only for the API roles: writes answer PostgREST's 401 (anon) or 403
// (signed in) with 42501, never 500 55000 "cannot insert into view" (20261202004100).

async function publicViews(): Promise<Array<{ name: string; column: string }>> {
  const { rows } = await db().query<{ name: string; column: string }>(
    `select c.relname as name, (select a.attname from pg_attribute a where a.attrelid = c.oid and a.attnum = 1) as column
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('v', 'm') order by 1`,
  );
  return rows;
}

describe('views in public', () => {
  it('refuse POST, PATCH and DELETE with 401/403 42501 for anon, customers, vendors and admins, and still answer reads', async () => {
    const views = await publicViews();
    expect(views.map((v) => v.name)).toContain('product_availability');
    const t = await createTenant();
    await restock(t.productIds[0]!, t.locationIds[0]!, 3);
    const [customer, admin] = await Promise.all([createUser(), createAdmin()]);
    const callers: Array<[string, SupabaseClient, number]> = [
      ['anon', anonClient(), 401],
      ['customer', customer.client, 403],
      ['vendor', t.owner.client, 403],
      ['admin', admin.client, 403],
    ];
    const before = await db().query('select on_hand, reserved, version from public.inventory_levels where product_id = $1', [t.productIds[0]]);

    for (const { name, column } of views) {
      for (const [who, client, status] of callers) {
        const writes = {
          POST: client.from(name).insert({ [column]: null }),
          PATCH: client.from(name).update({ [column]: null }).not(column, 'is', null),
          DELETE: client.from(name).delete().not(column, 'is', null),
        };
        for (const [method, request] of Object.entries(writes)) {
          const { status: got, error } = await request;
          expect({ name, who, method, status: got, code: error?.code, message: error?.message }).toEqual({
            name, who, method, status, code: '42501', message: `permission denied for view ${name}`,
          });
        }
        const read = await client.from(name).select('*').limit(1);
        expect({ name, who, status: read.status, error: read.error }).toEqual({ name, who, status: 200, error: null });
      }
    }
    const after = await db().query('select on_hand, reserved, version from public.inventory_levels where product_id = $1', [t.productIds[0]]);
    expect(after.rows).toEqual(before.rows);
    const { data } = await anonClient().from('product_availability').select('available').eq('product_id', t.productIds[0]!).single();
    expect(data).toEqual({ available: 3 });
  });

  it('grant the API roles nothing but SELECT', async () => {
    const { rows } = await db().query(
      `select c.relname as view, r.rolname as role, p.privilege
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       cross join (values ('public'), ('anon'), ('authenticated'), ('service_role')) r(rolname)
       cross join (values ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(privilege)
       where n.nspname = 'public' and c.relkind in ('v', 'm')
         and has_table_privilege(case r.rolname when 'public' then 'anon' else r.rolname end, c.oid, p.privilege)
       order by 1, 2, 3`,
    );
    expect(rows).toEqual([]);
  });
});
