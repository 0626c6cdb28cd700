import { describe, expect, it } from 'vitest';
import { bodyOf, conformance, conformanceAsService, rest, rowsOf } from './rest-support.ts';
import { db, uniqueSuffix } from './support.ts';

const from = (table: string) => conformance().from(table);
const newBatch = () => `w-${uniqueSuffix()}`;
const asConformance = { 'content-profile': 'conformance', 'content-type': 'application/json' };

describe('REST writes: insert', () => {
  it('inserts one row and returns it with select()', async () => {
    const batch = newBatch();
    const { data, error, status } = await from('authors').insert({ name: 'Dana', batch }).select('name, batch');
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual([{ name: 'Dana', batch }]);
  });

  it('returns inserted and updated rows with embedded resources', async () => {
    const batch = newBatch();
    const author = await from('authors').insert({ name: 'Ivy', batch }).select('id').single();
    const { data, error } = await from('books').insert({ title: 'Written', author_id: author.data!.id, batch }).select('title, writer:authors!author_id(name)');
    expect(error).toBeNull();
    expect(data).toEqual([{ title: 'Written', writer: { name: 'Ivy' } }]);
    const updated = await from('authors').update({ name: 'Ivy B.' }).eq('batch', batch).select('name, books!author_id(title)').single();
    expect(updated.data).toEqual({ name: 'Ivy B.', books: [{ title: 'Written' }] });
  });

  it('returns computed fields of inserted rows', async () => {
    const { data, error } = await from('authors').insert({ name: 'Hal', batch: newBatch() }).select('name, shout');
    expect(error).toBeNull();
    expect(data).toEqual([{ name: 'Hal', shout: 'HAL!' }]);
  });

  it('inserts without returning anything by default', async () => {
    const batch = newBatch();
    const res = await rest('/authors', { method: 'POST', headers: asConformance, body: JSON.stringify({ name: 'Eve', batch }) });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('');
    expect(res.headers.get('content-range')).toBe('*/*');
    expect(res.headers.get('content-type')).toBeNull();
    expect(await rowsOf('authors', batch)).toMatchObject([{ name: 'Eve' }]);
  });

  it('inserts in bulk, missing keys becoming null, with a count', async () => {
    const batch = newBatch();
    const { data, error, count } = await from('books')
      .insert([{ title: 'One', batch, published: 1 }, { title: 'Two', batch }], { count: 'exact' })
      .select('title, published');
    expect(error).toBeNull();
    expect(count).toBe(2);
    expect(data).toEqual([{ title: 'One', published: 1 }, { title: 'Two', published: null }]);
  });

  it('applies column defaults for missing keys with missing=default (defaultToNull: false)', async () => {
    const batch = newBatch();
    const { data, error } = await from('defaults')
      .insert([{ label: 'given', batch }, { batch }], { defaultToNull: false })
      .select('label, amount, batch');
    expect(error).toBeNull();
    expect(data).toEqual([{ label: 'given', amount: 7, batch }, { label: 'unlabeled', amount: 7, batch }]);
    const nulls = await from('defaults').insert([{ label: 'given', batch }, { batch }]).select('label');
    expect(nulls.status).toBe(400);
    expect(nulls.error!.code).toBe('23502');
  });

  it('inserts a row of defaults from an empty object', async () => {
    const res = await rest('/defaults?select=label,amount', { method: 'POST', headers: { ...asConformance, prefer: 'return=representation' }, body: '{}' });
    expect(res.status).toBe(201);
    expect(await bodyOf(res)).toEqual([{ label: 'unlabeled', amount: 7 }]);
  });

  it('inserts only the columns named in columns=', async () => {
    const batch = newBatch();
    const res = await rest('/defaults?columns=batch&select=label,batch', {
      method: 'POST',
      headers: { ...asConformance, prefer: 'return=representation' },
      body: JSON.stringify([{ batch, label: 'ignored' }]),
    });
    expect(res.status).toBe(201);
    expect(await bodyOf(res)).toEqual([{ label: 'unlabeled', batch }]);
  });

  it('inserts from a CSV body', async () => {
    const batch = newBatch();
    const res = await rest('/authors?select=name', {
      method: 'POST',
      headers: { 'content-profile': 'conformance', 'content-type': 'text/csv', prefer: 'return=representation' },
      body: `name,batch\nFay,${batch}\n"Gus, Jr.",${batch}`,
    });
    expect(res.status).toBe(201);
    expect(await bodyOf(res)).toEqual([{ name: 'Fay' }, { name: 'Gus, Jr.' }]);
  });

  it('answers return=headers-only with a Location for the new row', async () => {
    const batch = newBatch();
    const res = await rest('/stock', { method: 'POST', headers: { ...asConformance, prefer: 'return=headers-only' }, body: JSON.stringify({ sku: 'a b', warehouse: 'w1', batch }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/stock?sku=eq.a%20b&warehouse=eq.w1');
    expect(res.headers.get('preference-applied')).toBe('return=headers-only');
  });

  it('inserts through an updatable view', async () => {
    const batch = newBatch();
    const { data, error } = await from('book_titles').insert({ title: 'Viewed', batch }).select('title');
    expect(error).toBeNull();
    expect(data).toEqual([{ title: 'Viewed' }]);
  });

  it('rolls back when single() gets more than one row', async () => {
    const batch = newBatch();
    const { error, status } = await from('authors').insert([{ name: 'A', batch }, { name: 'B', batch }]).select().single();
    expect(status).toBe(406);
    expect(error).toMatchObject({ code: 'PGRST116', details: 'The result contains 2 rows' });
    expect(await rowsOf('authors', batch)).toEqual([]);
  });
});

describe('REST writes: upsert', () => {
  it('merges duplicates on the primary key: 201 when inserting, 200 when only updating', async () => {
    const batch = newBatch();
    const first = await from('stock').upsert({ sku: 's1', warehouse: 'w', qty: 1, batch }).select('sku, qty');
    expect(first.status).toBe(201);
    expect(first.data).toEqual([{ sku: 's1', qty: 1 }]);
    const second = await from('stock').upsert({ sku: 's1', warehouse: 'w', qty: 5, batch }).select('sku, qty');
    expect(second.status).toBe(200);
    expect(second.data).toEqual([{ sku: 's1', qty: 5 }]);
    const mixed = await from('stock').upsert([{ sku: 's1', warehouse: 'w', qty: 6, batch }, { sku: 's2', warehouse: 'w', qty: 2, batch }]).select('sku, qty');
    expect(mixed.status).toBe(201);
    expect(mixed.data).toEqual([{ sku: 's1', qty: 6 }, { sku: 's2', qty: 2 }]);
  });

  it('ignores duplicates with ignoreDuplicates', async () => {
    const batch = newBatch();
    await from('stock').insert({ sku: 'k', warehouse: 'w', qty: 1, batch });
    const { data, status } = await from('stock').upsert([{ sku: 'k', warehouse: 'w', qty: 9, batch }, { sku: 'k2', warehouse: 'w', qty: 3, batch }], { ignoreDuplicates: true }).select('sku, qty');
    expect(status).toBe(201);
    expect(data).toEqual([{ sku: 'k2', qty: 3 }]);
    expect((await rowsOf('stock', batch)).map((r) => [r.sku, r.qty])).toEqual([['k', 1], ['k2', 3]]);
  });

  it('upserts on another unique column with onConflict', async () => {
    const batch = newBatch();
    const code = `code-${batch}`;
    await from('books').insert({ title: 'Before', code, batch });
    const { data, error, status } = await from('books').upsert({ title: 'After', code, batch }, { onConflict: 'code' }).select('title, code');
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([{ title: 'After', code }]);
    const res = await rest('/books?on_conflict=code', { method: 'POST', headers: { ...asConformance, prefer: 'resolution=merge-duplicates' }, body: JSON.stringify({ title: 'Again', code, batch }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('resolution=merge-duplicates');
  });

  it('answers 400 for on_conflict naming an unknown column or no unique constraint', async () => {
    const unknown = await from('books').upsert({ title: 'x', batch: 'x' }, { onConflict: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.error).toEqual({ code: '42703', message: 'column "nope" does not exist', details: null, hint: null });
    const notUnique = await from('books').upsert({ title: 'x', batch: 'x' }, { onConflict: 'title' });
    expect(notUnique.status).toBe(400);
    expect(notUnique.error!.code).toBe('42P10');
  });

  it('upserts one row with PUT when the filters are exactly the primary key', async () => {
    const batch = newBatch();
    const put = (query: string, body: object) => rest(`/stock?${query}`, { method: 'PUT', headers: { ...asConformance, prefer: 'return=representation' }, body: JSON.stringify(body) });
    const created = await put(`sku=eq.p1&warehouse=eq.w`, { sku: 'p1', warehouse: 'w', qty: 1, batch });
    expect(created.status).toBe(201);
    expect(await bodyOf(created)).toMatchObject([{ sku: 'p1', qty: 1 }]);
    const replaced = await put(`sku=eq.p1&warehouse=eq.w`, { sku: 'p1', warehouse: 'w', qty: 4, batch });
    expect(replaced.status).toBe(200);
    expect(await bodyOf(replaced)).toMatchObject([{ sku: 'p1', qty: 4 }]);
    const mismatch = await put(`sku=eq.p1&warehouse=eq.w`, { sku: 'p2', warehouse: 'w', qty: 4, batch });
    expect(mismatch.status).toBe(400);
    expect(await bodyOf(mismatch)).toEqual({ code: 'PGRST115', message: 'Payload values do not match URL in primary key column(s)', details: null, hint: null });
    const limited = await put(`sku=eq.p1&warehouse=eq.w&limit=1`, { sku: 'p1', warehouse: 'w', qty: 9, batch });
    expect(limited.status).toBe(400);
    expect(await bodyOf(limited)).toEqual({ code: 'PGRST114', message: 'limit/offset querystring parameters are not allowed for PUT', details: null, hint: null });
    const partial = await put(`sku=eq.p1`, { sku: 'p1', warehouse: 'w', qty: 4, batch });
    expect(partial.status).toBe(405);
    expect((await bodyOf(partial)).code).toBe('PGRST105');
    expect((await rowsOf('stock', batch)).map((r) => [r.sku, r.qty])).toEqual([['p1', 4]]);
  });
});

describe('REST writes: update and delete', () => {
  const seed = async () => {
    const batch = newBatch();
    await db().query(`insert into conformance.defaults (label, amount, batch) values ('a', 1, $1), ('b', 2, $1), ('c', 3, $1)`, [batch]);
    return batch;
  };

  it('updates filtered rows, returning them with select() or 204 without', async () => {
    const batch = await seed();
    const { data, status } = await from('defaults').update({ amount: 10 }).eq('batch', batch).lte('amount', 2).select('label, amount').order('label');
    expect(status).toBe(200);
    expect(data).toEqual([{ label: 'a', amount: 10 }, { label: 'b', amount: 10 }]);
    const res = await rest(`/defaults?batch=eq.${batch}&label=eq.c`, { method: 'PATCH', headers: asConformance, body: JSON.stringify({ amount: 30 }) });
    expect(res.status).toBe(204);
    expect(res.headers.get('content-range')).toBe('0-0/*');
    expect((await rowsOf('defaults', batch)).map((r) => r.amount)).toEqual([10, 10, 30]);
  });

  it('updates nothing when nothing matches', async () => {
    const { data, status } = await from('defaults').update({ amount: 1 }).eq('batch', 'no-such-batch').select();
    expect(status).toBe(200);
    expect(data).toEqual([]);
  });

  it('deletes filtered rows, returning them with select()', async () => {
    const batch = await seed();
    const { data, status, count } = await from('defaults').delete({ count: 'exact' }).eq('batch', batch).in('label', ['a', 'c']).select('label').order('label');
    expect(status).toBe(200);
    expect(count).toBe(2);
    expect(data).toEqual([{ label: 'a' }, { label: 'c' }]);
    expect((await rowsOf('defaults', batch)).map((r) => r.label)).toEqual(['b']);
  });

  it('refuses unfiltered updates and deletes like Supabase (pg-safeupdate), changing nothing', async () => {
    const batch = await seed();
    const update = await from('defaults').update({ amount: 0 }).select();
    expect(update.status).toBe(400);
    expect(update.error).toEqual({ code: '21000', message: 'UPDATE requires a WHERE clause', details: null, hint: null });
    const remove = await from('defaults').delete();
    expect(remove.status).toBe(400);
    expect(remove.error).toEqual({ code: '21000', message: 'DELETE requires a WHERE clause', details: null, hint: null });
    expect((await rowsOf('defaults', batch)).map((r) => r.amount)).toEqual([1, 2, 3]);
  });

  it('limits updates and deletes with an order, and refuses a limit without one', async () => {
    const batch = await seed();
    const limited = await rest(`/defaults?batch=eq.${batch}&order=id.desc&limit=1`, { method: 'PATCH', headers: { ...asConformance, prefer: 'return=representation' }, body: JSON.stringify({ label: 'top' }) });
    expect(limited.status).toBe(200);
    expect(await bodyOf(limited)).toMatchObject([{ label: 'top', amount: 3 }]);
    const removed = await rest(`/defaults?batch=eq.${batch}&order=id&limit=1`, { method: 'DELETE', headers: asConformance });
    expect(removed.status).toBe(204);
    expect((await rowsOf('defaults', batch)).map((r) => r.label)).toEqual(['b', 'top']);
    // The order columns identify the rows: a non-unique one can reach more rows than the limit, which rolls back.
    const tooMany = await rest(`/defaults?batch=eq.${batch}&order=batch&limit=1`, { method: 'PATCH', headers: asConformance, body: JSON.stringify({ label: 'x' }) });
    expect(tooMany.status).toBe(400);
    expect(await bodyOf(tooMany)).toEqual({
      code: 'PGRST110',
      message: 'The maximum number of rows allowed to change was surpassed',
      details: 'Results contain 2 rows changed but the maximum number allowed is 1',
      hint: null,
    });
    expect((await rowsOf('defaults', batch)).map((r) => r.label)).toEqual(['b', 'top']);
    const unordered = await rest(`/defaults?batch=eq.${batch}&limit=1`, { method: 'DELETE', headers: asConformance });
    expect(unordered.status).toBe(400);
    expect(await bodyOf(unordered)).toEqual({ code: 'PGRST109', message: "A 'limit' was applied without an explicit 'order'", details: null, hint: "Apply an 'order' using unique column(s)" });
  });

  it('rolls back when more rows than maxAffected would change', async () => {
    const batch = await seed();
    // What postgrest-js's maxAffected() sends (its types reserve it for PostgREST 13, v12.2 already has it).
    const limited = (query: string) =>
      rest(`/defaults?${query}`, { method: 'PATCH', headers: { ...asConformance, prefer: 'handling=strict, max-affected=2' }, body: JSON.stringify({ amount: 0 }) });
    const over = await limited(`batch=eq.${batch}`);
    expect(over.status).toBe(400);
    expect(await bodyOf(over)).toEqual({ code: 'PGRST124', message: 'Query result exceeds max-affected preference constraint', details: 'The query affects 3 rows', hint: null });
    expect((await rowsOf('defaults', batch)).map((r) => r.amount)).toEqual([1, 2, 3]);
    const within = await limited(`batch=eq.${batch}&label=eq.a`);
    expect(within.status).toBe(204);
    expect(within.headers.get('preference-applied')).toBe('handling=strict, max-affected=2');
  });

  it('does the work but rolls it back with Prefer: tx=rollback', async () => {
    const batch = newBatch();
    const res = await rest('/authors?select=name', { method: 'POST', headers: { ...asConformance, prefer: 'return=representation, tx=rollback' }, body: JSON.stringify({ name: 'Ghost', batch }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied')).toBe('return=representation, tx=rollback');
    expect(await bodyOf(res)).toEqual([{ name: 'Ghost' }]);
    expect(await rowsOf('authors', batch)).toEqual([]);
  });

  it('applies and/or trees to the returned rows too, as PostgREST does (PostgREST#3707)', async () => {
    const batch = await seed();
    const { data, error } = await from('defaults').update({ label: 'z' }).eq('batch', batch).or('label.eq.a,label.eq.b').select('label');
    expect(error).toBeNull();
    expect(data).toEqual([]);
    expect((await rowsOf('defaults', batch)).map((r) => r.label)).toEqual(['z', 'z', 'c']);
    const missing = await from('defaults').update({ amount: 5 }).eq('batch', batch).or('amount.eq.1,amount.eq.2').select('label');
    expect(missing.status).toBe(400);
    expect(missing.error).toEqual({ code: '42703', message: 'column defaults.amount does not exist', details: null, hint: null });
  });

  it('answers an update with an empty body without changing anything', async () => {
    const batch = await seed();
    const { data, status } = await from('defaults').update({}).eq('batch', batch).select('label');
    expect(status).toBe(200);
    expect(data).toEqual([]);
  });
});

describe('REST writes: constraint and permission errors', () => {
  it('maps unique violations to 409 23505', async () => {
    const batch = newBatch();
    await from('stock').insert({ sku: 'dup', warehouse: 'w', batch });
    const { error, status } = await from('stock').insert({ sku: 'dup', warehouse: 'w', batch });
    expect(status).toBe(409);
    expect(error).toEqual({ code: '23505', message: 'duplicate key value violates unique constraint "stock_pkey"', details: 'Key (sku, warehouse)=(dup, w) already exists.', hint: null });
  });

  it('maps foreign key violations to 409 23503', async () => {
    const { error, status } = await from('books').insert({ title: 'Orphan', author_id: 999999999, batch: newBatch() });
    expect(status).toBe(409);
    expect(error).toEqual({
      code: '23503',
      message: 'insert or update on table "books" violates foreign key constraint "books_author_id_fkey"',
      details: 'Key (author_id)=(999999999) is not present in table "authors".',
      hint: null,
    });
  });

  it('maps not-null and check violations to 400', async () => {
    const notNull = await from('books').insert({ batch: newBatch() });
    expect(notNull.status).toBe(400);
    expect(notNull.error).toMatchObject({ code: '23502', message: 'null value in column "title" of relation "books" violates not-null constraint' });
    const check = await from('stock').insert({ sku: 'c', warehouse: 'w', qty: -1, batch: newBatch() });
    expect(check.status).toBe(400);
    expect(check.error).toMatchObject({ code: '23514', message: 'new row for relation "stock" violates check constraint "stock_qty_check"' });
  });

  it('answers 400 PGRST204 for a payload column the table does not have', async () => {
    const batch = newBatch();
    const { error, status } = await from('authors').insert({ name: 'X', batch, nickname: 'x' });
    expect(status).toBe(400);
    expect(error).toEqual({ code: 'PGRST204', message: "Could not find the 'nickname' column of 'authors' in the schema cache", details: null, hint: null });
    expect(await rowsOf('authors', batch)).toEqual([]);
  });

  it('answers 401 for anon and 403 for a signed-in role without the privilege', async () => {
    const anon = await from('readonly_rows').insert({ batch: newBatch() });
    expect(anon.status).toBe(401);
    expect(anon.error).toEqual({ code: '42501', message: 'permission denied for table readonly_rows', details: null, hint: null });
    const res = await rest('/secrets', { headers: { 'accept-profile': 'conformance' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const service = await conformanceAsService().from('secrets').select('*');
    expect(service.status).toBe(403);
    expect(service.error!.code).toBe('42501');
  });

  it('answers 406 PGRST106 for a Content-Profile that is not exposed, writing nothing', async () => {
    const batch = newBatch();
    const res = await rest('/authors', { method: 'POST', headers: { 'content-profile': 'private', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'X', batch }) });
    expect(res.status).toBe(406);
    expect((await bodyOf(res)).code).toBe('PGRST106');
    expect(await rowsOf('authors', batch)).toEqual([]);
  });

  it('answers 404 with an empty object when writing columns to an unknown table', async () => {
    const res = await rest('/nope', { method: 'POST', headers: asConformance, body: JSON.stringify({ a: 1 }) });
    expect(res.status).toBe(404);
    expect(await bodyOf(res)).toEqual({});
    const removed = await rest('/nope?a=eq.1', { method: 'DELETE', headers: asConformance });
    expect(removed.status).toBe(404);
    expect((await bodyOf(removed)).code).toBe('42P01');
  });
});
