// Aggregate functions in select (PostgREST 12's `db-aggregates-enabled`), driven through supabase-js.
// Turning the flag on and off changes what every request of a REST service sees, so these tests run
// a REST service of their own over a private database of the test cluster, behind a gateway.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigBool } from '../rest/db-config.ts';
import { startPrivateRest, type PrivateRest } from './private-rest.ts';
import { stack } from './support.ts';

let rest: PrivateRest;
let client: SupabaseClient;

const sql = (text: string) => rest.admin.query(text);
const NOT_ALLOWED = { code: 'PGRST123', message: 'Use of aggregate functions is not allowed', details: null, hint: null };

/** Polls until the probe's answer is accepted (config reloads arrive by NOTIFY), for at most 15 s. */
async function eventually<T>(probe: () => PromiseLike<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `alter role authenticator set pgrst.db_aggregates_enabled` + `NOTIFY pgrst, 'reload config'`, as PostgREST is configured. */
async function setAggregates(value: string): Promise<void> {
  await sql(`alter role authenticator in database ${rest.dbName} set pgrst.db_aggregates_enabled = '${value}'`);
  await sql(`notify pgrst, 'reload config'`);
  const enabled = value === 'true';
  const res = await eventually(() => client.from('products').select('count()'), (r) => (enabled ? r.status === 200 : r.status === 400));
  expect(res.status).toBe(enabled ? 200 : 400);
}

const products = () => client.from('products');
const sales = () => client.from('sales');

beforeAll(async () => {
  rest = await startPrivateRest('rest_agg', `
    create table public.vendors (id int primary key, name text not null);
    create table public.products (id int primary key, name text not null, category text not null, vendor_id int references public.vendors, price numeric(10,2) not null);
    create table public.stock_levels (id int primary key, product_id int not null references public.products, warehouse text not null, on_hand int not null);
    create table public.sales (id int primary key, product_id int not null references public.products, qty int not null, amount numeric(10,2) not null, meta jsonb);
    insert into public.vendors values (1, 'Acme'), (2, 'Globex'), (3, 'Initech');
    insert into public.products values (1, 'Bolt', 'hardware', 1, 1.50), (2, 'Nut', 'hardware', 1, 0.25), (3, 'Glue', 'chemicals', 2, 4.00), (4, 'Tape', 'supplies', null, 2.00);
    insert into public.stock_levels values (1, 1, 'north', 10), (2, 1, 'south', 5), (3, 2, 'north', 7), (4, 3, 'north', 0);
    insert into public.sales values (1, 1, 2, 3.00, '{"units": 2}'), (2, 1, 3, 4.50, '{"units": 3}'), (3, 2, 10, 5.00, '{"units": 10}'), (4, 3, 1, 7.25, null);
    create function public.products_in(cat text) returns setof public.products language sql stable as $$ select * from public.products where category = cat $$;
    grant select on all tables in schema public to anon;
  `);
  client = rest.anon;
});

afterAll(() => rest?.close());

describe('REST aggregates: disabled (the default, as PostgREST and Supabase)', () => {
  it('refuses every aggregate with 400 PGRST123', async () => {
    for (const select of ['count()', 'amount.sum()', 'total:amount.avg()::int', 'product_id, qty.max()', 'id, products(price.min())', '...products(price.sum())']) {
      const { error, status } = await sales().select(select);
      expect({ select, status, error }).toEqual({ select, status: 400, error: NOT_ALLOWED });
    }
  });

  it('reports a relationship or spread error before the aggregate one, as PostgREST plans them', async () => {
    const missing = await sales().select('nope(qty.sum())');
    expect(missing.status).toBe(400);
    expect(missing.error?.code).toBe('PGRST200');
    const toMany = await products().select('...sales(qty.sum())');
    expect(toMany.status).toBe(400);
    expect(toMany.error).toEqual({
      code: 'PGRST119',
      message: "A spread operation on 'sales' is not possible",
      details: "'products' and 'sales' do not form a many-to-one or one-to-one relationship",
      hint: null,
    });
    const relatedOrder = await products().select('count(), sales(qty)').order('sales(qty)');
    expect(relatedOrder.status).toBe(400);
    expect(relatedOrder.error).toEqual({
      code: 'PGRST118',
      message: "A related order on 'sales' is not possible",
      details: "'products' and 'sales' do not form a many-to-one or one-to-one relationship",
      hint: null,
    });
  });

  it('still counts with `count` as a column (Postgres reads t.count as count(t)), as Supabase documents', async () => {
    const { data, error } = await products().select('name, stock_levels(count)').order('id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: 'Bolt', stock_levels: [{ count: 2 }] },
      { name: 'Nut', stock_levels: [{ count: 1 }] },
      { name: 'Glue', stock_levels: [{ count: 1 }] },
      { name: 'Tape', stock_levels: [{ count: 0 }] },
    ]);
    expect((await sales().select('count')).data).toEqual([{ count: 4 }]);
  });
});

describe('REST aggregates: enabled with pgrst.db_aggregates_enabled', () => {
  beforeAll(async () => {
    await setAggregates('true');
  });

  it('counts rows with count(), named count, aliased, cast after the aggregate', async () => {
    expect((await products().select('count()')).data).toEqual([{ count: 4 }]);
    expect((await products().select('n:count()')).data).toEqual([{ n: 4 }]);
    expect((await products().select('count()::text')).data).toEqual([{ count: '4' }]);
    expect((await sales().select('qty.count()')).data).toEqual([{ count: 4 }]);
    // count(col) skips nulls.
    expect((await sales().select('meta.count()')).data).toEqual([{ count: 3 }]);
  });

  it('applies sum, avg, min and max, keyed by the function name, an alias, and cast', async () => {
    const { data, error, status } = await sales().select('amount.sum(), qty.avg(), qty.min(), qty.max()');
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([{ sum: 19.75, avg: 4, min: 1, max: 10 }]);
    expect((await sales().select('amount.sum()::int')).data).toEqual([{ sum: 20 }]);
    expect((await sales().select('total:amount.sum()')).data).toEqual([{ total: 19.75 }]);
    expect((await sales().select('total:amount.sum()::text')).data).toEqual([{ total: '19.75' }]);
    // A cast before the aggregate applies to its argument.
    expect((await sales().select('meta->>units::int.sum()')).data).toEqual([{ sum: 15 }]);
    expect((await sales().select('u:meta->>units::int.sum()::text')).data).toEqual([{ u: '15' }]);
  });

  it('groups by the other selected columns (also aliased ones), with filters and order', async () => {
    const byCategory = await products().select('category, count()').order('category');
    expect(byCategory.data).toEqual([
      { category: 'chemicals', count: 1 },
      { category: 'hardware', count: 2 },
      { category: 'supplies', count: 1 },
    ]);
    const filtered = await sales().select('pid:product_id, qty.sum(), amount.max()').gte('qty', 2).order('product_id');
    expect(filtered.data).toEqual([
      { pid: 1, sum: 5, max: 4.5 },
      { pid: 2, sum: 10, max: 5 },
    ]);
    const one = await sales().select('qty.sum()').eq('product_id', 1).single();
    expect(one.data).toEqual({ sum: 5 });
  });

  it('groups by every column of a * next to an aggregate', async () => {
    const { data, error } = await client.from('vendors').select('*, products(count())').order('id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { id: 1, name: 'Acme', products: [{ count: 2 }] },
      { id: 2, name: 'Globex', products: [{ count: 1 }] },
      { id: 3, name: 'Initech', products: [{ count: 0 }] },
    ]);
    const grouped = await sales().select('*, count()').eq('id', 4);
    expect(grouped.data).toEqual([{ id: 4, product_id: 3, qty: 1, amount: 7.25, meta: null, count: 1 }]);
  });

  it('aggregates inside an embedded resource, per parent row', async () => {
    const { data, error } = await products().select('name, stock_levels(on_hand.sum(), count())').order('id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: 'Bolt', stock_levels: [{ sum: 15, count: 2 }] },
      { name: 'Nut', stock_levels: [{ sum: 7, count: 1 }] },
      { name: 'Glue', stock_levels: [{ sum: 0, count: 1 }] },
      { name: 'Tape', stock_levels: [{ sum: null, count: 0 }] },
    ]);
  });

  it('groups by an embedded resource selected next to an aggregate', async () => {
    const { data, error } = await sales().select('product_id, total:amount.sum(), products(name)').order('product_id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { product_id: 1, total: 7.5, products: { name: 'Bolt' } },
      { product_id: 2, total: 5, products: { name: 'Nut' } },
      { product_id: 3, total: 7.25, products: { name: 'Glue' } },
    ]);
  });

  it('applies the aggregates of a spread in the parent, grouped by the spread columns', async () => {
    const { data, error } = await client.from('stock_levels').select('...products(category), on_hand.sum()').order('products(category)');
    expect(error).toBeNull();
    expect(data).toEqual([
      { category: 'chemicals', sum: 0 },
      { category: 'hardware', sum: 22 },
    ]);
    const spreadAgg = await sales().select('qty.sum(), ...products(category, list_total:price.sum())').order('products(category)');
    expect(spreadAgg.error).toBeNull();
    expect(spreadAgg.data).toEqual([
      { sum: 1, category: 'chemicals', list_total: 4 },
      { sum: 15, category: 'hardware', list_total: 3.25 },
    ]);
    const only = await sales().select('...products(price.max())');
    expect(only.data).toEqual([{ max: 4 }]);
  });

  it('aggregates the rows of a set-returning function', async () => {
    const { data, error } = await client.rpc('products_in', { cat: 'hardware' }, { get: true }).select('price.max(), count()');
    expect(error).toBeNull();
    expect(data).toEqual([{ max: 1.5, count: 2 }]);
  });

  it('counts the rows before grouping for Prefer: count=exact, as PostgREST does', async () => {
    const { data, count, status } = await products().select('category, count()', { count: 'exact' }).order('category');
    expect(data).toHaveLength(3);
    expect(count).toBe(4);
    expect(status).toBe(206);
  });

  it('answers Postgres errors for misuse, as PostgREST passes them through', async () => {
    // A column that is not grouped by in the order.
    const ungrouped = await sales().select('product_id, qty.sum()').order('id');
    expect(ungrouped.status).toBe(400);
    expect(ungrouped.error?.code).toBe('42803');
    // No sum(text) in Postgres: 42883, which PostgREST answers with 404.
    const noFunction = await products().select('name.sum()');
    expect(noFunction.status).toBe(404);
    expect(noFunction.error?.code).toBe('42883');
    const unknownColumn = await products().select('nope.sum()');
    expect(unknownColumn.error).toEqual({ code: '42703', message: 'column products.nope does not exist', details: null, hint: null });
    const unknownCast = await products().select('price.sum()::nosuchtype');
    expect(unknownCast.error).toEqual({ code: '42704', message: 'type "nosuchtype" does not exist', details: null, hint: null });
  });

  it('answers malformed aggregate syntax with PostgREST parse errors (PGRST100)', async () => {
    const unknown = await sales().select('amount.total()');
    expect(unknown.status).toBe(400);
    expect(unknown.error).toEqual({
      code: 'PGRST100',
      message: '"failed to parse select parameter (amount.total())" (line 1, column 8)',
      details: 'unexpected "t" expecting "sum", "avg", "count", "max" or "min"',
      hint: null,
    });
    const noParens = await sales().select('amount.sum');
    expect(noParens.error).toEqual({
      code: 'PGRST100',
      message: '"failed to parse select parameter (amount.sum)" (line 1, column 11)',
      details: 'unexpected end of input expecting "()"',
      hint: null,
    });
  });

  it('stays within the response limits: max rows apply to the grouped rows', async () => {
    await sql(`alter role authenticator in database ${rest.dbName} set pgrst.db_max_rows = '2'`);
    await sql(`notify pgrst, 'reload config'`);
    const limited = await eventually(() => products().select('category, count()').order('category'), (r) => r.data?.length === 2);
    expect(limited.data).toEqual([
      { category: 'chemicals', count: 1 },
      { category: 'hardware', count: 2 },
    ]);
    await sql(`alter role authenticator in database ${rest.dbName} reset pgrst.db_max_rows`);
    await sql(`notify pgrst, 'reload config'`);
    await eventually(() => products().select('category, count()'), (r) => r.data?.length === 3);
  });

  it('answers every pair of select items, aggregated or not, without a 5xx and in the API error shape', async () => {
    const items = [
      'count()', 'n:count()::text', 'qty.sum()', 'amount.avg()::int', 'qty.min()', 'id.max()', 'meta->>units::int.sum()', 'meta.count()',
      'product_id', 'pid:product_id', 'meta->units', 'amount::text', '*', 'count', 'products(name)', 'products(price.sum())',
      '...products(category)', '...products(price.max())', '...products(count())', '...products(...vendors(name))', 'products(vendors(id.count()))',
    ];
    const statuses = new Map<number, number>();
    for (const [i, a] of items.entries()) {
      for (const b of items.slice(i)) {
        const res = await rest.fetch(`/sales?select=${encodeURIComponent(`${a},${b}`)}&order=product_id`, {}, stack().anonKey);
        const body = (await res.json()) as object;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect({ select: `${a},${b}`, serverError: res.status >= 500 }).toEqual({ select: `${a},${b}`, serverError: false });
        if (res.status >= 400) expect(Object.keys(body).sort()).toEqual(['code', 'details', 'hint', 'message']);
      }
    }
    expect(statuses.get(200)).toBeGreaterThan(50);
  }, 120_000);

  it('refuses again once switched off', async () => {
    await setAggregates('false');
    const { error, status } = await sales().select('qty.sum()');
    expect(status).toBe(400);
    expect(error).toEqual(NOT_ALLOWED);
  });
});

describe('REST aggregates: reading the flag', () => {
  it('reads booleans as PostgREST does: true/false in any case, or a number (> 0 is true)', () => {
    expect(['true', 'TRUE', "'True'", '1', '2'].map(parseConfigBool)).toEqual([true, true, true, true, true]);
    expect(['false', 'False', '0', '-1'].map(parseConfigBool)).toEqual([false, false, false, false]);
    expect(['on', 'yes', '', undefined].map(parseConfigBool)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
