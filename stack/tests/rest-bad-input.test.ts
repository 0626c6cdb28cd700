// Bad input answers a 4xx in PostgREST's shape and changes nothing: malformed parameters and bodies,
// unknown names, and SQL injection attempts through names, values, casts and order clauses.
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, conformance, rest, rowsOf } from './rest-support.ts';
import { db, uniqueSuffix } from './support.ts';

let batch: string;
let before: Array<Record<string, unknown>>;

beforeAll(async () => {
  batch = `x-${uniqueSuffix()}`;
  await db().query(`insert into conformance.authors (name, batch) values ('Ann', $1), ('Bob', $1)`, [batch]);
  before = await rowsOf('authors', batch);
});

const get = (query: string) => rest(`/authors?${query}`, { headers: { 'accept-profile': 'conformance' } });
const write = (method: string, query: string, body: string, contentType = 'application/json') =>
  rest(`/authors?${query}`, { method, headers: { 'content-profile': 'conformance', 'content-type': contentType, prefer: 'return=representation' }, body });

async function expectError(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  const body = await bodyOf(res);
  expect({ status: res.status, code: body.code }).toEqual({ status, code });
  expect(Object.keys(body).sort()).toEqual(['code', 'details', 'hint', 'message']);
  return body;
}

async function expectUnchanged(): Promise<void> {
  expect(await rowsOf('authors', batch)).toEqual(before);
  const tables = await db().query(`select count(*)::int as n from pg_tables where schemaname = 'conformance' and tablename in ('authors', 'books')`);
  expect(tables.rows[0].n).toBe(2);
}

describe('REST bad input: malformed query parameters', () => {
  it('answers 400 PGRST100 for malformed filters, with the parser position', async () => {
    const unknownOperator = await expectError(await get(`name=gtx.5&batch=eq.${batch}`), 400, 'PGRST100');
    expect(unknownOperator.message).toMatch(/^"failed to parse filter \(gtx\.5\)" \(line 1, column \d+\)$/);
    await expectError(await get('name=eq'), 400, 'PGRST100');
    await expectError(await get('id=in.(1,2'), 400, 'PGRST100');
    await expectError(await get('id=is.maybe'), 400, 'PGRST100');
    await expectError(await get('name=fts(bad-lang).x'), 400, 'PGRST100');
    await expectError(await get('or=(name.eq.a'), 400, 'PGRST100');
    // Without parentheses PostgREST reads "orname.eq.a" as a filter on a column named orname.
    expect(await expectError(await get('or=name.eq.a'), 400, '42703')).toMatchObject({ message: 'column authors.orname does not exist' });
    await expectError(await get('and=(name.xx.a)'), 400, 'PGRST100');
    await expectUnchanged();
  });

  it('answers 400 PGRST100 for malformed select and order', async () => {
    const select = await expectError(await get('select=name,'), 400, 'PGRST100');
    expect(select.message).toBe('"failed to parse select parameter (name,)" (line 1, column 6)');
    await expectError(await get('select=books!author_id(title'), 400, 'PGRST100');
    await expectError(await get('select=name::'), 400, 'PGRST100');
    const order = await expectError(await get('order=name.sideways'), 400, 'PGRST100');
    expect(order.message).toBe('"failed to parse order (name.sideways)" (line 1, column 5)');
    await expectError(await get('order=name.asc.nullsmiddle'), 400, 'PGRST100');
    await expectError(await get('columns=,'), 400, 'PGRST100');
  });

  it('ignores limits, offsets and ranges that are not (non-negative) numbers, as PostgREST does', async () => {
    const res = await get(`select=name&batch=eq.${batch}&limit=lots&order=name`);
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toEqual([{ name: 'Ann' }, { name: 'Bob' }]);
    const ranged = await rest(`/authors?select=name&batch=eq.${batch}`, { headers: { 'accept-profile': 'conformance', range: 'items=abc' } });
    expect(ranged.status).toBe(200);
    const negative = await get(`select=name&batch=eq.${batch}&offset=-1&order=name`);
    expect(negative.status).toBe(200);
    expect(await bodyOf(negative)).toEqual([{ name: 'Ann' }, { name: 'Bob' }]);
  });

  it('answers 405 PGRST117 for an unsupported method and 404 for paths it does not serve', async () => {
    const res = await rest('/authors', { method: 'PROPFIND', headers: { 'accept-profile': 'conformance' } });
    expect(res.status).toBe(405);
    expect(await bodyOf(res)).toEqual({ code: 'PGRST117', message: 'Unsupported HTTP method: PROPFIND', details: null, hint: null });
    const deep = await rest('/authors/1/books');
    expect(deep.status).toBe(404);
    expect(await bodyOf(deep)).toEqual({});
  });

  it('ignores unknown preferences unless handling=strict', async () => {
    expect((await rest(`/authors?select=name&batch=eq.${batch}`, { headers: { 'accept-profile': 'conformance', prefer: 'count=never, foo=bar' } })).status).toBe(200);
    const strict = await rest(`/authors?select=name`, { headers: { 'accept-profile': 'conformance', prefer: 'handling=strict, foo=bar' } });
    expect(await expectError(strict, 400, 'PGRST122')).toMatchObject({ details: 'Invalid preferences: foo=bar' });
  });
});

describe('REST bad input: unknown names', () => {
  it('answers 42703 for unknown columns in select, filters, order and embedded filters', async () => {
    expect(await expectError(await get('select=nope'), 400, '42703')).toMatchObject({ message: 'column authors.nope does not exist' });
    expect(await expectError(await get('nope=eq.1'), 400, '42703')).toMatchObject({ message: 'column authors.nope does not exist' });
    expect(await expectError(await get('order=nope.desc'), 400, '42703')).toMatchObject({ message: 'column authors.nope does not exist' });
    expect(await expectError(await get('select=name,books!author_id(title)&books.nope=eq.1'), 400, '42703')).toMatchObject({ message: 'column books_1.nope does not exist' });
    expect(await expectError(await get('or=(name.eq.a,nope.eq.b)'), 400, '42703')).toMatchObject({ message: 'column authors.nope does not exist' });
  });

  it('answers PGRST204 for unknown columns in bodies and in columns=, changing nothing', async () => {
    await expectError(await write('POST', '', JSON.stringify({ name: 'Zed', batch, nope: 1 })), 400, 'PGRST204');
    await expectError(await write('POST', 'columns=name,nope', JSON.stringify({ name: 'Zed', batch })), 400, 'PGRST204');
    await expectError(await write('PATCH', `batch=eq.${batch}`, JSON.stringify({ nope: 1 })), 400, 'PGRST204');
    await expectUnchanged();
  });
});

describe('REST bad input: bodies', () => {
  it('answers 400 PGRST102 for invalid JSON, mixed keys, and unsupported content types', async () => {
    expect(await expectError(await write('POST', '', '{"name": "Zed",'), 400, 'PGRST102')).toMatchObject({ message: 'Empty or invalid json' });
    expect(await expectError(await write('POST', '', ''), 400, 'PGRST102')).toMatchObject({ message: 'Empty or invalid json' });
    expect(await expectError(await write('POST', '', JSON.stringify([{ name: 'A', batch }, { name: 'B' }])), 400, 'PGRST102')).toMatchObject({ message: 'All object keys must match' });
    expect(await expectError(await write('POST', '', JSON.stringify([{ name: 'A', batch }, 5])), 400, 'PGRST102')).toMatchObject({ message: 'All object keys must match' });
    expect(await expectError(await write('POST', '', '<a/>', 'application/xml'), 400, 'PGRST102')).toMatchObject({ message: 'Content-Type not acceptable: application/xml' });
    expect(await expectError(await write('POST', '', 'name\nA,B', 'text/csv'), 400, 'PGRST102')).toMatchObject({ message: 'All lines must have same number of fields' });
    await expectError(await write('PATCH', `batch=eq.${batch}`, 'not json'), 400, 'PGRST102');
    await expectUnchanged();
  });

  it('inserts nothing for a JSON scalar body, and lets Postgres refuse wrong value types', async () => {
    const scalar = await write('POST', '', '42');
    expect(scalar.status).toBe(201);
    expect(await bodyOf(scalar)).toEqual([]);
    await expectError(await rest('/books', { method: 'POST', headers: { 'content-profile': 'conformance', 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x', batch, published: 'soon' }) }), 400, '22P02');
    await expectError(await write('POST', 'columns=name,batch', '{"name": oops}'), 400, '22P02');
    await expectUnchanged();
  });
});

describe('REST bad input: injection attempts', () => {
  const attempts = async (): Promise<Response[]> => [
    await get(`select=name;drop table conformance.books&batch=eq.${batch}`),
    await get(`select="name; drop table conformance.books; --"`),
    await get(`select=name,"*"`),
    await get(`"name\\" = 'x' or 1=1; --"=eq.1`),
    await get(`name=eq.'; drop table conformance.books; --&batch=eq.${batch}`),
    await get(`name=in.(a,b);drop table conformance.books;--)&batch=eq.${batch}`),
    await get(`name=like.%' or '1'='1&batch=eq.${batch}`),
    await get(`or=(name.eq.x,name.eq.') or 1=1 --)&batch=eq.${batch}`),
    await get(`order=name;drop table conformance.books`),
    await get(`order="name desc; drop table conformance.books"`),
    await get(`order=name.desc,(select 1)`),
    await get(`select=name::text as x`),
    await get(`select=name::int4 ; drop`),
    await get(`select=name->>'a'); drop table conformance.books; --`),
    await get(`name=fts(english'); drop table conformance.books; --).x`),
    await rest(`/authors;drop table conformance.books`, { headers: { 'accept-profile': 'conformance' } }),
    await rest(`/authors?select=name`, { headers: { 'accept-profile': 'conformance"; drop table conformance.books; --' } }),
    await write('PATCH', `batch=eq.${batch}&name=eq.Ann`, JSON.stringify({ 'name" = null; drop table conformance.books; --': 'x' })),
    await write('POST', `on_conflict=id); drop table conformance.books; --`, JSON.stringify({ name: 'Zed', batch: `${batch}-other` })),
    await write('DELETE', `batch=eq.${batch}&name=eq.x' or '1'='1`, ''),
  ];

  it('never runs injected SQL: each answers 2xx with no effect or a 4xx, and the data is intact', async () => {
    const responses = await attempts();
    const statuses = responses.map((r) => r.status);
    for (const status of statuses) expect(status < 300 || (status >= 400 && status < 500)).toBe(true);
    const bodies = await Promise.all(responses.map((r) => r.text()));
    for (const [i, body] of bodies.entries()) {
      if (statuses[i]! >= 400) expect(Object.keys(JSON.parse(body))).toContain('code');
    }
    await expectUnchanged();
  });

  it('treats values as values and names as names', async () => {
    const value = await get(`select=name&name=eq.' or '1'='1&batch=eq.${batch}`);
    expect(value.status).toBe(200);
    expect(await bodyOf(value)).toEqual([]);
    const quotedName = await expectError(await get(`select="name\\" from conformance.books --"`), 400, '42703');
    expect(quotedName.message).toBe('column authors.name" from conformance.books -- does not exist');
    const cast = await expectError(await get(`select=name::text as x`), 400, '42704');
    expect(cast.message).toBe('type "text as x" does not exist');
    const nul = await get(`select=name&name=eq.a%00b`);
    expect(nul.status).toBe(400);
    await expectUnchanged();
  });
});

describe('REST bad input: supabase-js', () => {
  it('reports malformed filters and unknown columns as errors without throwing', async () => {
    const bad = await conformance().from('authors').select('name').filter('name', 'zz', 'x');
    expect(bad.status).toBe(400);
    expect(bad.error!.code).toBe('PGRST100');
    const unknown = await conformance().from('authors').update({ missing: 1 }).eq('batch', batch);
    expect(unknown.status).toBe(400);
    expect(unknown.error!.code).toBe('PGRST204');
    await expectUnchanged();
  });
});
