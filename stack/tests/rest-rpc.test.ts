import { beforeAll, describe, expect, it } from 'vitest';
import { conformance, rest, rowsOf, seedLibrary, type Seeded } from './rest-support.ts';
import { uniqueSuffix } from './support.ts';

let lib: Seeded;
beforeAll(async () => {
  lib = await seedLibrary();
});

const rpc = (fn: string, args?: Record<string, unknown>, opts?: { head?: boolean; get?: boolean; count?: 'exact' | 'planned' | 'estimated' }) => conformance().rpc(fn, args, opts);
const post = (fn: string, body: string, headers: Record<string, string> = {}) =>
  rest(`/rpc/${fn}`, { method: 'POST', headers: { 'content-profile': 'conformance', 'content-type': 'application/json', ...headers }, body });

describe('REST RPC: calling functions', () => {
  it('calls with named arguments by POST and, for stable/immutable ones, by GET', async () => {
    expect(await rpc('add_them', { a: 1, b: 2 })).toMatchObject({ data: 3, status: 200, error: null });
    expect(await rpc('add_them', { a: 5, b: 6 }, { get: true })).toMatchObject({ data: 11, status: 200 });
    expect((await rpc('greet')).data).toBe('hello world');
    expect((await rpc('greet', { name: 'you' }, { get: true })).data).toBe('hello you');
    expect((await rpc('no_args', {}, { get: true })).data).toBe('no args');
  });

  it('resolves overloaded functions by argument names', async () => {
    expect((await rpc('overloaded', { a: 1 })).data).toBe('one int 1');
    expect((await rpc('overloaded', { a: 1, b: 2 })).data).toBe('two ints 3');
    expect((await rpc('overloaded', { x: 'hi' })).data).toBe('text hi');
  });

  it('passes the whole body to a single unnamed json parameter, or with params=single-object', async () => {
    expect((await rpc('echo_json', { any: [1, 'two'], nested: { ok: true } })).data).toEqual({ any: [1, 'two'], nested: { ok: true } });
    const single = await post('echo_object', JSON.stringify({ free: 'form' }), { prefer: 'params=single-object' });
    expect(single.status).toBe(200);
    expect(single.headers.get('preference-applied')).toBe('params=single-object');
    expect(await single.json()).toEqual({ free: 'form' });
    expect((await rpc('echo_object', { payload: { named: 1 } })).data).toEqual({ named: 1 });
  });

  it('passes a text/plain body to a single unnamed text parameter', async () => {
    const res = await post('echo_text', 'plain words', { 'content-type': 'text/plain' });
    expect(res.status).toBe(200);
    expect(await res.json()).toBe('got: plain words');
  });

  it('calls variadic and array parameters', async () => {
    expect((await rpc('sum_all', { nums: [1, 2, 3] })).data).toBe(6);
    const res = await rest('/rpc/sum_all?nums=4&nums=5', { headers: { 'accept-profile': 'conformance' } });
    expect(await res.json()).toBe(9);
    expect((await rpc('array_len', { items: ['a', 'b', 'c'] }, { get: true })).data).toBe(3);
  });

  it('answers 204 for a void function', async () => {
    const { data, status, error } = await rpc('nothing');
    expect(error).toBeNull();
    expect(status).toBe(204);
    expect(data).toBeNull();
  });
});

describe('REST RPC: results', () => {
  it('returns set-returning table functions as rows with filters, select, order, limit and embedding', async () => {
    const { data, error } = await rpc('books_in', { b: lib.batch }).select('title, published, writer:authors!author_id(name)').gt('published', 1900).order('title', { ascending: false });
    expect(error).toBeNull();
    expect(data).toEqual([{ title: 'Fog', published: 2001, writer: { name: 'Bob' } }, { title: 'Dune', published: 1965, writer: { name: 'Ann' } }]);
    const viaGet = await rpc('books_in', { b: lib.batch }, { get: true }).select('title').in('title', ['Emma', 'Gone']).order('title').limit(1);
    expect(viaGet.data).toEqual([{ title: 'Emma' }]);
  });

  it('refuses, like PostgREST v12, filters on result columns left out of select (PostgREST#3965)', async () => {
    const { error, status } = await rpc('books_in', { b: lib.batch }).select('title').gt('published', 1900);
    expect(status).toBe(400);
    expect(error).toEqual({ code: '42703', message: 'column books.published does not exist', details: null, hint: null });
  });

  it('returns RETURNS TABLE functions and setof scalars', async () => {
    expect((await rpc('book_count', { b: lib.batch })).data).toEqual([
      { author: 'Ann', total: 2 },
      { author: 'Bob', total: 1 },
      { author: 'Cy', total: 0 },
    ]);
    expect((await rpc('numbers', { n: 3 })).data).toEqual([1, 2, 3]);
  });

  it('returns a single composite and OUT parameters as one object', async () => {
    expect((await rpc('first_book', { b: lib.batch }).select('title')).data).toEqual({ title: 'Dune' });
    expect((await rpc('pair')).data).toEqual({ left_value: 1, right_value: 'one' });
  });

  it('counts results, pages them, and answers HEAD without a body', async () => {
    const counted = await rpc('books_in', { b: lib.batch }, { count: 'exact' }).select('title').range(0, 1);
    expect(counted.count).toBe(4);
    expect(counted.status).toBe(206);
    expect(counted.data).toHaveLength(2);
    const head = await rpc('numbers', { n: 4 }, { head: true, count: 'exact' });
    expect(head.status).toBe(200);
    expect(head.data).toBeNull();
    expect(head.count).toBe(4);
  });

  it('returns one row with single() from a set-returning function', async () => {
    expect((await rpc('books_in', { b: lib.batch }).select('title').eq('title', 'Fog').single()).data).toEqual({ title: 'Fog' });
    expect((await rpc('books_in', { b: lib.batch }).select('title').single()).status).toBe(406);
  });

  it('writes from a volatile function called by POST', async () => {
    const batch = `r-${uniqueSuffix()}`;
    const { data, error } = await rpc('add_author', { author_name: 'Rita', b: batch }).select('name');
    expect(error).toBeNull();
    expect(data).toEqual({ name: 'Rita' });
    expect(await rowsOf('authors', batch)).toMatchObject([{ name: 'Rita' }]);
  });

  it('answers 405 (25006) when a GET or a stable function tries to write, changing nothing', async () => {
    const batch = `r-${uniqueSuffix()}`;
    const viaGet = await rpc('add_author', { author_name: 'Nope', b: batch }, { get: true });
    expect(viaGet.status).toBe(405);
    expect(viaGet.error).toEqual({ code: '25006', message: 'cannot execute INSERT in a read-only transaction', details: null, hint: null });
    const stable = await rpc('sneaky_write', { b: batch });
    expect(stable.status).toBe(405);
    expect(stable.error!.code).toBe('25006');
    expect(await rowsOf('authors', batch)).toEqual([]);
  });
});

describe('REST RPC: errors', () => {
  it('answers 404 PGRST202 for an unknown function or unmatched arguments, with suggestions', async () => {
    const unknown = await rpc('nope_nothing_here');
    expect(unknown.status).toBe(404);
    expect(unknown.error).toMatchObject({
      code: 'PGRST202',
      message: 'Could not find the function conformance.nope_nothing_here without parameters in the schema cache',
      details: 'Searched for the function conformance.nope_nothing_here without parameters or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
    });
    expect((await rpc('add_themm', { a: 1, b: 2 })).error!.hint).toBe('Perhaps you meant to call the function conformance.add_them');
    const wrongArgs = await rpc('add_them', { a: 1 });
    expect(wrongArgs.error).toEqual({
      code: 'PGRST202',
      message: 'Could not find the function conformance.add_them(a) in the schema cache',
      details: 'Searched for the function conformance.add_them with parameter a or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      hint: 'Perhaps you meant to call the function conformance.add_them(a, b)',
    });
    const viaGet = await rpc('add_them', { a: 1, c: 2 }, { get: true });
    expect(viaGet.error!.details).toBe('Searched for the function conformance.add_them with parameters a, c, but no matches were found in the schema cache.');
  });

  it('answers 300 PGRST203 when overloads cannot be told apart', async () => {
    const { error, status } = await rpc('ambiguous', { x: 1 });
    expect(status).toBe(300);
    expect(error).toEqual({
      code: 'PGRST203',
      message: 'Could not choose the best candidate function between: conformance.ambiguous(x => integer), conformance.ambiguous(x => text)',
      details: null,
      hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    });
  });

  it('answers 405 PGRST101 for methods other than GET, HEAD and POST', async () => {
    const res = await rest('/rpc/add_them', { method: 'PATCH', headers: { 'content-profile': 'conformance' } });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ code: 'PGRST101', message: 'Cannot use the PATCH method on RPC', details: null, hint: null });
  });

  it('maps RAISE EXCEPTION to 400 P0001 with its detail and hint', async () => {
    const { error, status } = await rpc('fail_plain', { msg: 'stock too low' });
    expect(status).toBe(400);
    expect(error).toEqual({ code: 'P0001', message: 'stock too low', details: 'plain detail', hint: 'plain hint' });
  });

  it('maps SQLSTATEs to HTTP statuses as PostgREST does, PTxyz to xyz', async () => {
    const cases: Array<[string, number]> = [
      ['PT402', 402], ['PT418', 418], ['PTABC', 500], ['23505', 409], ['23503', 409], ['23514', 400], ['22012', 400],
      ['42501', 401], ['42883', 404], ['42P01', 404], ['25006', 405], ['53300', 503], ['08006', 503], ['P0002', 500],
      ['28000', 403], ['0P000', 403], ['40001', 500], ['XX000', 500], ['57014', 500], ['42P17', 500],
    ];
    for (const [code, status] of cases) {
      const res = await rpc('fail_with', { code });
      expect([code, res.status]).toEqual([code, status]);
      expect(res.error).toMatchObject({ code, message: `custom status ${code}` });
    }
  });

  it("gives full control of the response with RAISE SQLSTATE 'PGRST'", async () => {
    const res = await post('rate_limited', '{}');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(res.headers.get('x-limit')).toBe('5');
    expect(await res.json()).toEqual({ code: 'RL429', message: 'Too many requests', details: 'Slow down', hint: 'Wait a bit' });
  });

  it("answers 500 PGRST121 when the 'PGRST' message or detail is not the expected JSON", async () => {
    const badMessage = await rpc('bad_pgrst_message');
    expect(badMessage.status).toBe(500);
    expect(badMessage.error).toEqual({
      code: 'PGRST121',
      message: 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      details: "Invalid JSON value for MESSAGE: 'not json'",
      hint: "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
    });
    const badDetail = await rpc('bad_pgrst_detail');
    expect(badDetail.error).toMatchObject({ code: 'PGRST121', details: "Invalid JSON value for DETAIL: 'nope'" });
  });

  it('honours response.status and response.headers set by the function', async () => {
    const res = await post('with_headers', '{}');
    expect(res.status).toBe(202);
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toBe('accepted');
    expect(await rpc('bad_headers')).toMatchObject({ status: 500, error: { code: 'PGRST111' } });
    expect(await rpc('bad_status')).toMatchObject({ status: 500, error: { code: 'PGRST112' } });
  });

  it("applies a function's statement_timeout to the whole transaction, and cancels it with 500 57014", async () => {
    const { error, status } = await rpc('hurried');
    expect(status).toBe(500);
    expect(error).toEqual({ code: '57014', message: 'canceling statement due to statement timeout', details: null, hint: null });
  });

  it('answers 400 for an argument of the wrong type, and 401 for a function anon may not execute', async () => {
    const wrongType = await rpc('add_them', { a: 'x', b: 1 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.error).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "x"' });
    const denied = await rpc('slow', { seconds: 0 });
    expect(denied.status).toBe(401);
    expect(denied.error).toMatchObject({ code: '42501', message: 'permission denied for function slow' });
  });
});
