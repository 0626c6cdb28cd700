import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, conformance, rest, seedLibrary, type Seeded } from './rest-support.ts';
import { anonClient } from './support.ts';

let lib: Seeded;
beforeAll(async () => {
  lib = await seedLibrary();
});

const books = () => conformance().from('books');

describe('REST reads: columns', () => {
  it('selects columns, aliases and casts', async () => {
    const { data, error, status } = await books().select('id, name:title, price::text, published').eq('batch', lib.batch).order('id');
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual([
      { id: lib.books.dune, name: 'Dune', price: '9.99', published: 1965 },
      { id: lib.books.emma, name: 'Emma', price: '5.50', published: 1815 },
      { id: lib.books.fog, name: 'Fog', price: null, published: 2001 },
      { id: lib.books.gone, name: 'Gone', price: '20.00', published: null },
    ]);
  });

  it('selects every column with *, and all columns when select is absent', async () => {
    const { data } = await books().select('*').eq('id', lib.books.dune).single();
    expect(data).toMatchObject({ id: lib.books.dune, title: 'Dune', tags: ['scifi', 'classic'], mood: 'happy', pages: '[1,400)', meta: { k: 'v' } });
    const res = await rest(`/books?id=eq.${lib.books.emma}`, { headers: { 'accept-profile': 'conformance' } });
    const [row] = await bodyOf(res);
    expect(Object.keys(row)).toEqual(['id', 'title', 'author_id', 'editor_id', 'published', 'price', 'tags', 'data', 'meta', 'mood', 'pages', 'body', 'search', 'code', 'batch', 'created_at']);
  });

  it('reads JSON paths with -> and ->>, aliased by their last key', async () => {
    const { data } = await books()
      .select('title, data->rating, data->>rating, size:data->sizes->>w, data->list->0, meta->>k')
      .eq('id', lib.books.dune)
      .single();
    expect(data).toEqual({ title: 'Dune', rating: '5', size: '10', list: 1, k: 'v' });
  });

  it('reads JSON paths on columns that are not json (through to_jsonb)', async () => {
    const { data } = await books().select('title, tags->0, pages').eq('id', lib.books.dune).single();
    expect(data).toEqual({ title: 'Dune', tags: 'scifi', pages: '[1,400)' });
  });

  it('answers 400 with 42703 for an unknown column, in PostgREST v12 shape', async () => {
    const { error, status } = await books().select('id, nope').eq('batch', lib.batch);
    expect(status).toBe(400);
    expect(error).toEqual({ code: '42703', message: 'column books.nope does not exist', details: null, hint: null });
  });

  it('answers 404 with 42P01 for an unknown table', async () => {
    const { error, status } = await conformance().from('nope').select('*');
    expect(status).toBe(404);
    expect(error).toEqual({ code: '42P01', message: 'relation "conformance.nope" does not exist', details: null, hint: null });
  });

  it('answers 400 with 42704 for an unknown cast type', async () => {
    const { error, status } = await books().select('id::nosuchtype').eq('batch', lib.batch);
    expect(status).toBe(400);
    expect(error).toEqual({ code: '42704', message: 'type "nosuchtype" does not exist', details: null, hint: null });
  });

  it('reads, filters and orders computed fields (functions of the row)', async () => {
    const { data, error } = await conformance().from('authors').select('name, shout').eq('batch', lib.batch).neq('shout', 'CY!').order('shout', { ascending: false });
    expect(error).toBeNull();
    expect(data).toEqual([{ name: 'Bob', shout: 'BOB!' }, { name: 'Ann', shout: 'ANN!' }]);
    const embedded = await books().select('title, writer:authors!author_id(shout)').eq('id', lib.books.fog).single();
    expect(embedded.data).toEqual({ title: 'Fog', writer: { shout: 'BOB!' } });
  });

  it('refuses aggregate functions, disabled as on Supabase (PGRST123)', async () => {
    for (const select of ['count()', 'price.sum()', 'total:price.avg()', 'title,authors!author_id(id.max())']) {
      const { error, status } = await books().select(select);
      expect(status).toBe(400);
      expect(error).toEqual({ code: 'PGRST123', message: 'Use of aggregate functions is not allowed', details: null, hint: null });
    }
  });

  it('reads a view', async () => {
    const { data } = await conformance().from('book_titles').select('title').eq('batch', lib.batch).order('title');
    expect(data).toEqual([{ title: 'Dune' }, { title: 'Emma' }, { title: 'Fog' }, { title: 'Gone' }]);
  });
});

describe('REST reads: filters', () => {
  const q = () => books().select('title').eq('batch', lib.batch).order('title');
  const names = (r: { data: Array<{ title: string }> | null; error: unknown }) => {
    expect(r.error).toBeNull();
    return r.data!.map((x) => x.title);
  };

  it('compares with eq, neq, gt, gte, lt, lte', async () => {
    expect(names(await q().eq('published', 1965))).toEqual(['Dune']);
    expect(names(await q().neq('published', 1965))).toEqual(['Emma', 'Fog']);
    expect(names(await q().gt('published', 1965))).toEqual(['Fog']);
    expect(names(await q().gte('published', 1965))).toEqual(['Dune', 'Fog']);
    expect(names(await q().lt('price', 9.99))).toEqual(['Emma']);
    expect(names(await q().lte('price', 9.99))).toEqual(['Dune', 'Emma']);
  });

  it('matches patterns with like, ilike (* as wildcard), match and imatch', async () => {
    expect(names(await q().like('title', '*un*'))).toEqual(['Dune']);
    expect(names(await q().ilike('title', 'd*'))).toEqual(['Dune']);
    expect(names(await q().like('title', 'd*'))).toEqual([]);
    expect(names(await q().match({ published: 2001 }))).toEqual(['Fog']);
    expect(names(await q().filter('title', 'match', '^[DE]'))).toEqual(['Dune', 'Emma']);
    expect(names(await q().filter('title', 'imatch', '^[de]'))).toEqual(['Dune', 'Emma']);
  });

  it('quantifies like/eq with any and all', async () => {
    expect(names(await q().likeAnyOf('title', ['D*', 'F*']))).toEqual(['Dune', 'Fog']);
    expect(names(await q().likeAllOf('title', ['*u*', '*e']))).toEqual(['Dune']);
    expect(names(await q().ilikeAnyOf('title', ['d*', 'e*']))).toEqual(['Dune', 'Emma']);
    expect(names(await q().filter('published', 'eq(any)', '{1965,2001}'))).toEqual(['Dune', 'Fog']);
  });

  it('filters with is (null, true, false, unknown) and isdistinct', async () => {
    expect(names(await q().is('published', null))).toEqual(['Gone']);
    expect(names(await q().not('published', 'is', null))).toEqual(['Dune', 'Emma', 'Fog']);
    expect(names(await q().filter('published', 'isdistinct', '1965'))).toEqual(['Emma', 'Fog', 'Gone']);
    const { error, status } = await q().filter('published', 'is', 'nonsense');
    expect(status).toBe(400);
    expect(error!.code).toBe('PGRST100');
  });

  it('filters with in, including quoted values with commas and an empty list', async () => {
    expect(names(await q().in('title', ['Dune', 'Fog']))).toEqual(['Dune', 'Fog']);
    expect(names(await q().in('published', [1815, 2001]))).toEqual(['Emma', 'Fog']);
    expect(names(await q().in('title', []))).toEqual([]);
    expect(names(await q().filter('title', 'in', '("Dune","a,b")'))).toEqual(['Dune']);
    expect(names(await q().not('title', 'in', '(Dune,Emma)'))).toEqual(['Fog', 'Gone']);
  });

  it('filters arrays, ranges and JSON with cs, cd, ov, sl, sr, nxr, nxl, adj', async () => {
    expect(names(await q().contains('tags', ['classic']))).toEqual(['Dune', 'Emma']);
    expect(names(await q().containedBy('tags', ['classic', 'poetry']))).toEqual(['Emma', 'Fog']);
    expect(names(await q().overlaps('tags', ['scifi', 'poetry']))).toEqual(['Dune']);
    expect(names(await q().contains('data', { rating: 4 }))).toEqual(['Emma']);
    expect(names(await q().rangeLt('pages', '[500,600)'))).toEqual(['Dune', 'Emma', 'Fog']);
    expect(names(await q().rangeGt('pages', '[1,5)'))).toEqual(['Fog']);
    expect(names(await q().rangeGte('pages', '[5,6)'))).toEqual(['Fog']);
    expect(names(await q().rangeLte('pages', '[1,300)'))).toEqual(['Emma', 'Fog']);
    expect(names(await q().rangeAdjacent('pages', '[20,30)'))).toEqual(['Fog']);
    expect(names(await q().overlaps('pages', '[150,160)'))).toEqual(['Dune', 'Emma']);
  });

  it('full-text searches with fts, plfts, phfts and wfts, with a language', async () => {
    expect(names(await q().textSearch('search', 'desert', { config: 'english' }))).toEqual(['Dune']);
    expect(names(await q().textSearch('search', 'desert & spice', { config: 'english' }))).toEqual(['Dune']);
    expect(names(await q().textSearch('search', 'rich woman', { type: 'plain', config: 'english' }))).toEqual(['Emma']);
    expect(names(await q().textSearch('search', 'fog rolls', { type: 'phrase', config: 'english' }))).toEqual(['Fog']);
    expect(names(await q().textSearch('search', '"rich young" -desert', { type: 'websearch', config: 'english' }))).toEqual(['Emma']);
    expect(names(await q().textSearch('body', 'harbour', { type: 'plain' }))).toEqual(['Fog']);
  });

  it('negates any operator with not', async () => {
    expect(names(await q().not('title', 'like', 'D*'))).toEqual(['Emma', 'Fog', 'Gone']);
    expect(names(await q().not('tags', 'cs', '{classic}'))).toEqual(['Fog']);
  });

  it('combines conditions with or, and, nested and negated trees', async () => {
    expect(names(await q().or('title.eq.Dune,published.gt.2000'))).toEqual(['Dune', 'Fog']);
    expect(names(await q().or('title.eq.Gone,and(published.gt.1800,published.lt.1900)'))).toEqual(['Emma', 'Gone']);
    expect(names(await q().or('and(title.like.*e,published.not.is.null),title.eq.Fog'))).toEqual(['Dune', 'Fog']);
    // As in PostgREST, negation inside a tree is written after the column, not before it.
    expect((await q().or('not.published.is.null,title.eq.Fog')).error).toMatchObject({ code: 'PGRST100' });
    const res = await rest(`/books?select=title&batch=eq.${lib.batch}&not.or=(title.eq.Dune,title.eq.Emma)&order=title`, { headers: { 'accept-profile': 'conformance' } });
    expect(await bodyOf(res)).toEqual([{ title: 'Fog' }, { title: 'Gone' }]);
    expect(names(await q().or('title.in.(Dune,Emma),price.gt.15'))).toEqual(['Dune', 'Emma', 'Gone']);
    expect(names(await q().or('title.eq."Dune"'))).toEqual(['Dune']);
  });

  it('filters on JSON paths', async () => {
    expect(names(await q().eq('data->>rating', '4'))).toEqual(['Emma']);
    expect(names(await q().gt('data->rating', 3))).toEqual(['Dune', 'Emma']);
    expect(names(await q().eq('data->sizes->>w', '10'))).toEqual(['Dune']);
  });
});

describe('REST reads: order, limit, ranges and counts', () => {
  const q = () => books().select('title').eq('batch', lib.batch);

  it('orders ascending, descending, with nulls first or last, on several columns', async () => {
    expect((await q().order('price', { ascending: false })).data!.map((r) => r.title)).toEqual(['Fog', 'Gone', 'Dune', 'Emma']);
    expect((await q().order('price', { ascending: false, nullsFirst: false })).data!.map((r) => r.title)).toEqual(['Gone', 'Dune', 'Emma', 'Fog']);
    expect((await q().order('price', { ascending: true, nullsFirst: true })).data!.map((r) => r.title)).toEqual(['Fog', 'Emma', 'Dune', 'Gone']);
    expect((await q().order('author_id', { nullsFirst: true }).order('title', { ascending: false })).data!.map((r) => r.title)).toEqual(['Gone', 'Emma', 'Dune', 'Fog']);
    expect((await q().order('data->rating', { ascending: false, nullsFirst: false })).data!.map((r) => r.title)).toEqual(['Dune', 'Emma', 'Gone', 'Fog']);
  });

  it('pages with limit, offset and range()', async () => {
    expect((await q().order('title').limit(2)).data).toEqual([{ title: 'Dune' }, { title: 'Emma' }]);
    expect((await q().order('title').range(1, 2)).data).toEqual([{ title: 'Emma' }, { title: 'Fog' }]);
    expect((await q().order('title').limit(0)).data).toEqual([]);
  });

  it('counts exactly with Content-Range and 206 for a partial page', async () => {
    const page = await books().select('title', { count: 'exact' }).eq('batch', lib.batch).order('title').range(0, 1);
    expect(page.status).toBe(206);
    expect(page.count).toBe(4);
    const res = await rest(`/books?select=title&batch=eq.${lib.batch}&order=title&limit=2&offset=1`, { headers: { 'accept-profile': 'conformance', prefer: 'count=exact' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('1-2/4');
    expect(res.headers.get('preference-applied')).toBe('count=exact');
    const all = await rest(`/books?select=title&batch=eq.${lib.batch}`, { headers: { 'accept-profile': 'conformance', prefer: 'count=exact' } });
    expect(all.status).toBe(200);
    expect(all.headers.get('content-range')).toBe('0-3/4');
    const none = await rest(`/books?select=title&batch=eq.nothing`, { headers: { 'accept-profile': 'conformance', prefer: 'count=exact' } });
    expect(none.headers.get('content-range')).toBe('*/0');
    const uncounted = await rest(`/books?select=title&batch=eq.${lib.batch}`, { headers: { 'accept-profile': 'conformance' } });
    expect(uncounted.headers.get('content-range')).toBe('0-3/*');
  });

  it('answers 416 past the last row when counting', async () => {
    const res = await rest(`/books?select=title&batch=eq.${lib.batch}&offset=10`, { headers: { 'accept-profile': 'conformance', prefer: 'count=exact' } });
    expect(res.status).toBe(416);
    expect(await bodyOf(res)).toEqual({
      code: 'PGRST103',
      message: 'Requested range not satisfiable',
      details: 'An offset of 10 was requested, but there are only 4 rows.',
      hint: null,
    });
  });

  it('honours the Range header on GET and refuses a reversed one', async () => {
    const res = await rest(`/books?select=title&batch=eq.${lib.batch}&order=title`, { headers: { 'accept-profile': 'conformance', range: '1-2', prefer: 'count=exact' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('1-2/4');
    expect(await bodyOf(res)).toEqual([{ title: 'Emma' }, { title: 'Fog' }]);
    const bad = await rest(`/books?select=title`, { headers: { 'accept-profile': 'conformance', range: '3-1' } });
    expect(bad.status).toBe(416);
    expect((await bodyOf(bad)).details).toBe('The lower boundary must be lower than or equal to the upper boundary in the Range header.');
  });

  it('refuses a negative limit with 416', async () => {
    const res = await rest(`/books?select=title&limit=-1`, { headers: { 'accept-profile': 'conformance' } });
    expect(res.status).toBe(416);
    expect(await bodyOf(res)).toMatchObject({ code: 'PGRST103', details: 'Limit should be greater than or equal to zero.' });
  });

  it('counts with planned and estimated counts', async () => {
    const planned = await books().select('title', { count: 'planned' }).eq('batch', lib.batch);
    expect(planned.error).toBeNull();
    expect(planned.data).toHaveLength(4);
    expect(Number.isInteger(planned.count)).toBe(true);
    const estimated = await books().select('title', { count: 'estimated' }).eq('batch', lib.batch);
    expect(estimated.count).toBe(4);
  });

  it('answers HEAD with headers only', async () => {
    const head = await books().select('*', { count: 'exact', head: true }).eq('batch', lib.batch);
    expect(head.status).toBe(200);
    expect(head.data).toBeNull();
    expect(head.count).toBe(4);
    const res = await rest(`/books?batch=eq.${lib.batch}`, { method: 'HEAD', headers: { 'accept-profile': 'conformance' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('REST reads: representations', () => {
  it('returns one object with single() and 406 PGRST116 otherwise', async () => {
    const one = await books().select('title').eq('id', lib.books.fog).single();
    expect(one.data).toEqual({ title: 'Fog' });
    const many = await books().select('title').eq('batch', lib.batch).single();
    expect(many.status).toBe(406);
    expect(many.error).toEqual({ code: 'PGRST116', message: 'JSON object requested, multiple (or no) rows returned', details: 'The result contains 4 rows', hint: null });
    const none = await books().select('title').eq('batch', 'nothing').single();
    expect(none.status).toBe(406);
    expect(none.error!.details).toBe('The result contains 0 rows');
  });

  it('returns an object or null with maybeSingle()', async () => {
    expect((await books().select('title').eq('id', lib.books.emma).maybeSingle()).data).toEqual({ title: 'Emma' });
    const none = await books().select('title').eq('batch', 'nothing').maybeSingle();
    expect(none.error).toBeNull();
    expect(none.data).toBeNull();
  });

  it('answers with the object media type and its content type', async () => {
    const res = await rest(`/books?select=title&id=eq.${lib.books.dune}`, { headers: { 'accept-profile': 'conformance', accept: 'application/vnd.pgrst.object+json' } });
    expect(res.headers.get('content-type')).toBe('application/vnd.pgrst.object+json; charset=utf-8');
    expect(await bodyOf(res)).toEqual({ title: 'Dune' });
  });

  it('answers CSV with csv()', async () => {
    const { data, error } = await books().select('title,published,price').eq('batch', lib.batch).order('title').csv();
    expect(error).toBeNull();
    expect(data).toBe('title,published,price\nDune,1965,9.99\nEmma,1815,5.50\nFog,2001,\nGone,,20.00');
  });

  it('strips nulls with stripNulls()', async () => {
    const { data } = await books().select('title,published,price').eq('id', lib.books.fog).stripNulls();
    expect(data).toEqual([{ title: 'Fog', published: 2001 }]);
  });

  it('answers 406 PGRST107 for a media type it cannot produce, and for explain()', async () => {
    const res = await rest(`/books?select=title`, { headers: { 'accept-profile': 'conformance', accept: 'text/plain' } });
    expect(res.status).toBe(406);
    expect(await bodyOf(res)).toEqual({ code: 'PGRST107', message: 'None of these media types are available: text/plain', details: null, hint: null });
    const explained = await books().select('title').explain();
    expect(explained.status).toBe(406);
    expect((explained.error as { code: string }).code).toBe('PGRST107');
  });

  it('sets Content-Location to the canonical query', async () => {
    const res = await rest(`/books?select=title&batch=eq.${lib.batch}&order=title`, { headers: { 'accept-profile': 'conformance' } });
    expect(res.headers.get('content-location')).toBe(`/books?batch=eq.${lib.batch}&order=title&select=title`);
  });
});

describe('REST reads: schemas (profiles)', () => {
  it('reads the default schema without a profile and another with Accept-Profile', async () => {
    const fromPublic = await anonClient().from('rest_profile_probe').select('schema_name');
    expect(fromPublic.data).toEqual([{ schema_name: 'public' }]);
    const fromConformance = await conformance().from('rest_profile_probe').select('schema_name');
    expect(fromConformance.data).toEqual([{ schema_name: 'conformance' }]);
    const res = await rest('/rest_profile_probe?select=schema_name', { headers: { 'accept-profile': 'conformance' } });
    expect(res.headers.get('content-profile')).toBe('conformance');
  });

  it('answers 406 PGRST106 for a schema that is not exposed', async () => {
    const { error, status } = await anonClient().schema('auth').from('users').select('id');
    expect(status).toBe(406);
    expect(error).toEqual({ code: 'PGRST106', message: 'The schema must be one of the following: public, graphql_public, conformance', details: null, hint: null });
  });
});
