// Bounds on one request (stack/rest/limits.ts): input that would exhaust the parser's stack, build
// a statement Postgres refuses, or a response of many megabytes answers a 4xx in PostgREST's shape
// before it costs that, instead of a 500.
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, rest, seedLibrary, type Seeded } from './rest-support.ts';
import { db } from './support.ts';

let lib: Seeded;

beforeAll(async () => {
  lib = await seedLibrary();
});

const get = (table: string, query: string) => rest(`/${table}?${query}`, { headers: { 'accept-profile': 'conformance' } });

async function expectError(res: Response, status: number, code: string): Promise<{ message: string; details: string | null; hint: string | null }> {
  const body = await bodyOf(res);
  expect({ status: res.status, code: body.code }).toEqual({ status, code });
  expect(Object.keys(body).sort()).toEqual(['code', 'details', 'hint', 'message']);
  return body;
}

const nest = (open: string, inner: string, close: string, depth: number) => open.repeat(depth) + inner + close.repeat(depth);

describe('REST limits: nesting in query parameters', () => {
  it('refuses logic trees nested past 32 levels with 400 PGRST100, and serves 32', async () => {
    const deep = await expectError(await get('authors', `and=(${nest('or(', 'id.eq.1', ')', 3000)})`), 400, 'PGRST100');
    expect(deep.message).toBe('The logic tree nests deeper than 32 levels');
    await expectError(await get('authors', `or=(${nest('not.and(', 'id.eq.1', ')', 1000)})`), 400, 'PGRST100');
    const ok = await get('authors', `select=name&batch=eq.${lib.batch}&or=(${nest('or(', 'name.eq.Ann', ')', 31)})`);
    expect(ok.status).toBe(200);
    expect(await bodyOf(ok)).toEqual([{ name: 'Ann' }]);
  });

  it('refuses select parentheses nested past 32 levels with 400 PGRST100', async () => {
    const deep = await expectError(await get('authors', `select=${nest('a(', 'id', ')', 3000)}`), 400, 'PGRST100');
    expect(deep.message).toBe('The select parameter nests deeper than 32 levels');
  });

  it('reports a malformed select nested 31 deep at once (parsing is not exponential in the nesting)', async () => {
    // Each level used to be parsed twice when the level below failed: 2^31 parses blocked the stack.
    const unclosed = await expectError(await get('authors', `select=${'a('.repeat(31)}x`), 400, 'PGRST100');
    expect(unclosed.message).toBe(`"failed to parse select parameter (${'a('.repeat(31)}x)" (line 1, column 64)`);
    expect(unclosed.details).toBe('unexpected end of input expecting ")"');
    await expectError(await get('authors', `select=${'a!b('.repeat(31)}x::${')'.repeat(31)}`), 400, 'PGRST100');
  });

  it('refuses embeds more than 3 levels deep, and serves 3', async () => {
    const three = 'name,books!author_id(title,authors!author_id(name,books!author_id(title)))';
    const ok = await get('authors', `select=${three}&id=eq.${lib.authors.bob}`);
    expect(ok.status).toBe(200);
    expect(await bodyOf(ok)).toEqual([{ name: 'Bob', books: [{ title: 'Fog', authors: { name: 'Bob', books: [{ title: 'Fog' }] } }] }]);
    const four = 'name,books!author_id(title,authors!author_id(name,books!author_id(title,authors!author_id(name))))';
    const deep = await expectError(await get('authors', `select=${four}&id=eq.${lib.authors.bob}`), 400, 'PGRST100');
    expect(deep.message).toBe('The select parameter embeds resources 4 levels deep; at most 3 are allowed');
  });
});

describe('REST limits: width', () => {
  it('refuses more than 300 select items with 400 PGRST100 before Postgres refuses 1,664 columns', async () => {
    const wide = await expectError(await get('authors', `select=${Array(3000).fill('id').join(',')}`), 400, 'PGRST100');
    expect(wide.message).toBe('The select parameter has 3000 items; at most 300 are allowed');
    expect((await get('authors', `select=${Array(300).fill('id').join(',')}&id=eq.${lib.authors.ann}`)).status).toBe(200);
  });

  it('refuses more than 1,600 columns on one level once * is expanded (books has 16 columns)', async () => {
    const stars = await expectError(await get('books', `select=${Array(120).fill('*').join(',')}`), 400, 'PGRST100');
    expect(stars.message).toBe("The select parameter reads 1920 columns from 'books'; at most 1600 are allowed");
    const spread = await expectError(await get('books', `select=title,...authors!author_id(${Array(120).fill('*').join(',')})`), 400, 'PGRST100');
    expect(spread.message).toMatch(/^The select parameter reads \d+ columns from '(books|authors)'; at most 1600 are allowed$/);
  });

  it('refuses more than 50 embedded resources', async () => {
    const embeds = Array.from({ length: 51 }, (_, i) => `b${i}:books!author_id(id)`).join(',');
    const res = await expectError(await get('authors', `select=id,${embeds}`), 400, 'PGRST100');
    expect(res.message).toBe('The select parameter has 51 embedded resources; at most 50 are allowed');
  });

  it('refuses more than 300 order terms or columns', async () => {
    expect((await expectError(await get('authors', `order=${Array(2000).fill('id').join(',')}`), 400, 'PGRST100')).message).toBe(
      'The order has 2000 items; at most 300 are allowed',
    );
    const columns = await rest(`/authors?columns=${Array(3000).fill('id').join(',')}`, {
      method: 'POST',
      headers: { 'content-profile': 'conformance', 'content-type': 'application/json' },
      body: '{}',
    });
    expect((await expectError(columns, 400, 'PGRST100')).message).toBe('The columns parameter has 3000 items; at most 300 are allowed');
  });
});

describe('REST limits: JSON bodies', () => {
  it('refuses bodies nested past 256 levels with 400 PGRST102 (Postgres would fail with 54001), and serves 200 levels', async () => {
    const deep = nest('[', '', ']', 100_000);
    const rpc = (payload: string) =>
      rest('/rpc/echo_object', { method: 'POST', headers: { 'content-profile': 'conformance', 'content-type': 'application/json' }, body: `{"payload": ${payload}}` });
    expect((await expectError(await rpc(deep), 400, 'PGRST102')).message).toBe('The JSON body nests arrays and objects deeper than 256 levels');
    const insert = await rest('/authors', {
      method: 'POST',
      headers: { 'content-profile': 'conformance', 'content-type': 'application/json' },
      body: `{"name": ${nest('{"a":', '1', '}', 100_000)}, "batch": "${lib.batch}"}`,
    });
    await expectError(insert, 400, 'PGRST102');
    // Brackets inside strings do not count.
    const fine = await rpc(`{"text": "${'['.repeat(1000)}", "list": ${nest('[', '1', ']', 200)}}`);
    expect(fine.status).toBe(200);
    expect(JSON.stringify((await bodyOf(fine)).list)).toBe(nest('[', '1', ']', 200));
  });
});

describe('REST limits: response size', () => {
  it('refuses a response past 10 MiB with 400 PGRSTX01 (the body is not sent out of Postgres), and serves smaller ones', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    await db().query(`update conformance.books set body = $1 where id = $2`, [big, lib.books.gone]);
    const copies = (n: number) => Array.from({ length: n }, (_, i) => `c${i}:body`).join(',');
    const tooLarge = await expectError(await get('books', `select=${copies(4)}&id=eq.${lib.books.gone}`), 400, 'PGRSTX01');
    expect(tooLarge.message).toMatch(/^The response would be \d+ bytes; at most 10485760 are allowed$/);
    expect(tooLarge.hint).toMatch(/paginate/);
    const fits = await get('books', `select=${copies(3)}&id=eq.${lib.books.gone}`);
    expect(fits.status).toBe(200);
    expect((await fits.text()).length).toBeGreaterThan(9 * 1024 * 1024);
    // Writes that return their rows and RPC results are bounded the same way.
    const patch = await rest(`/books?id=eq.${lib.books.gone}&select=${copies(4)}`, {
      method: 'PATCH',
      headers: { 'content-profile': 'conformance', 'content-type': 'application/json', prefer: 'return=representation' },
      body: '{"price": 21}',
    });
    await expectError(patch, 400, 'PGRSTX01');
    expect((await db().query(`select price from conformance.books where id = $1`, [lib.books.gone])).rows[0].price).toBe('20.00');
    const rpc = await rest(`/rpc/books_in?b=${lib.batch}&select=${copies(4)}`, { headers: { 'accept-profile': 'conformance' } });
    await expectError(rpc, 400, 'PGRSTX01');
  });
});
