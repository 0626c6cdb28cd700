import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, conformance, rest, seedLibrary, type Seeded } from './rest-support.ts';
import { db } from './support.ts';

let lib: Seeded;
beforeAll(async () => {
  lib = await seedLibrary();
});

const from = (table: string) => conformance().from(table);

describe('REST embedding: relationships', () => {
  it('embeds many-to-one as an object, disambiguated by FK column, constraint or column target', async () => {
    const { data, error } = await from('books')
      .select('title, writer:authors!author_id(name), editor:authors!books_editor_id_fkey(name), by:author_id(name)')
      .eq('batch', lib.batch)
      .order('title');
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: 'Dune', writer: { name: 'Ann' }, editor: { name: 'Bob' }, by: { name: 'Ann' } },
      { title: 'Emma', writer: { name: 'Ann' }, editor: null, by: { name: 'Ann' } },
      { title: 'Fog', writer: { name: 'Bob' }, editor: { name: 'Ann' }, by: { name: 'Bob' } },
      { title: 'Gone', writer: null, editor: null, by: null },
    ]);
  });

  it('embeds one-to-many as an array (empty when there is nothing)', async () => {
    const { data } = await from('authors').select('name, books!author_id(title)').eq('batch', lib.batch).order('name').order('title', { referencedTable: 'books' });
    expect(data).toEqual([
      { name: 'Ann', books: [{ title: 'Dune' }, { title: 'Emma' }] },
      { name: 'Bob', books: [{ title: 'Fog' }] },
      { name: 'Cy', books: [] },
    ]);
  });

  it('embeds many-to-many through the junction table', async () => {
    const { data } = await from('books').select('title, tags(name)').eq('batch', lib.batch).order('title').order('name', { referencedTable: 'tags' });
    expect(data).toEqual([
      { title: 'Dune', tags: [{ name: 'classic' }, { name: 'scifi' }] },
      { title: 'Emma', tags: [{ name: 'classic' }] },
      { title: 'Fog', tags: [] },
      { title: 'Gone', tags: [] },
    ]);
    const { data: viaJunctionHint } = await from('tags').select('name, books!book_tags(title)').eq('batch', lib.batch).eq('name', 'scifi');
    expect(viaJunctionHint).toEqual([{ name: 'scifi', books: [{ title: 'Dune' }] }]);
  });

  it('embeds one-to-one as an object, both ways', async () => {
    const { data } = await from('authors').select('name, profiles(bio)').eq('batch', lib.batch).order('name');
    expect(data).toEqual([
      { name: 'Ann', profiles: { bio: 'Writes books' } },
      { name: 'Bob', profiles: null },
      { name: 'Cy', profiles: null },
    ]);
    const back = await from('profiles').select('bio, authors(name)').eq('batch', lib.batch).single();
    expect(back.data).toEqual({ bio: 'Writes books', authors: { name: 'Ann' } });
  });

  it('embeds self-relationships: the parent by column, the children by table with a hint', async () => {
    const batch = lib.batch;
    const { rows } = await db().query(`insert into conformance.nodes (name, batch) values ('root', $1) returning id`, [batch]);
    await db().query(`insert into conformance.nodes (name, parent_id, batch) values ('leaf a', $1, $2), ('leaf b', $1, $2)`, [rows[0].id, batch]);
    const { data, error } = await from('nodes').select('name, parent:parent_id(name), children:nodes!parent_id(name)').eq('batch', batch).order('name');
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: 'leaf a', parent: { name: 'root' }, children: [] },
      { name: 'leaf b', parent: { name: 'root' }, children: [] },
      { name: 'root', parent: null, children: [{ name: 'leaf a' }, { name: 'leaf b' }] },
    ]);
  });

  it('nests embeddings several levels deep', async () => {
    const { data } = await from('authors')
      .select('name, books!author_id(title, tags(name), editor:authors!editor_id(name, profiles(bio)))')
      .eq('batch', lib.batch)
      .eq('name', 'Bob')
      .single();
    expect(data).toEqual({ name: 'Bob', books: [{ title: 'Fog', tags: [], editor: { name: 'Ann', profiles: { bio: 'Writes books' } } }] });
  });

  it('spreads a to-one embed into the parent', async () => {
    const { data, error } = await from('books').select('title, ...authors!author_id(author_name:name, profiles(bio))').eq('batch', lib.batch).order('title').limit(2);
    expect(error).toBeNull();
    expect(data).toEqual([
      { title: 'Dune', author_name: 'Ann', profiles: { bio: 'Writes books' } },
      { title: 'Emma', author_name: 'Ann', profiles: { bio: 'Writes books' } },
    ]);
  });
});

describe('REST embedding: through views', () => {
  it('embeds from a view to a table, a table to a view, and a view to a view', async () => {
    const fromView = await from('book_cards').select('title, authors(name)').eq('batch', lib.batch).order('title').limit(3);
    expect(fromView.error).toBeNull();
    expect(fromView.data).toEqual([
      { title: 'Dune', authors: { name: 'Ann' } },
      { title: 'Emma', authors: { name: 'Ann' } },
      { title: 'Fog', authors: { name: 'Bob' } },
    ]);
    const toView = await from('authors').select('name, book_cards(title)').eq('batch', lib.batch).eq('name', 'Bob');
    expect(toView.data).toEqual([{ name: 'Bob', book_cards: [{ title: 'Fog' }] }]);
    const viewToView = await from('book_cards').select('title, author_cards(author_name)').eq('batch', lib.batch).eq('title', 'Emma');
    expect(viewToView.data).toEqual([{ title: 'Emma', author_cards: { author_name: 'Ann' } }]);
    const nested = await from('book_cards_again').select('title, authors(name)').eq('batch', lib.batch).eq('title', 'Fog');
    expect(nested.data).toEqual([{ title: 'Fog', authors: { name: 'Bob' } }]);
  });

  it('gives views the primary key of the table they show', async () => {
    const batch = `v-${lib.batch}`;
    const res = await rest('/book_titles', {
      method: 'POST',
      headers: { 'content-profile': 'conformance', 'content-type': 'application/json', prefer: 'return=headers-only' },
      body: JSON.stringify({ title: 'Through a view', batch }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/^\/book_titles\?id=eq\.\d+$/);
  });
});

describe('REST embedding: filters, order and limits', () => {
  it('filters embedded rows without filtering parents, and parents with !inner', async () => {
    const loose = await from('authors').select('name, books!author_id(title)').eq('batch', lib.batch).eq('books.title', 'Fog').order('name');
    expect(loose.data).toEqual([
      { name: 'Ann', books: [] },
      { name: 'Bob', books: [{ title: 'Fog' }] },
      { name: 'Cy', books: [] },
    ]);
    const inner = await from('authors').select('name, books!author_id!inner(title)', { count: 'exact' }).eq('batch', lib.batch).eq('books.title', 'Fog');
    expect(inner.data).toEqual([{ name: 'Bob', books: [{ title: 'Fog' }] }]);
    expect(inner.count).toBe(1);
    const anyBooks = await from('authors').select('name, books!author_id!inner(title)').eq('batch', lib.batch).order('name');
    expect(anyBooks.data!.map((a) => a.name)).toEqual(['Ann', 'Bob']);
  });

  it('filters parents through an empty inner embed', async () => {
    const { data } = await from('books').select('title, writer:authors!author_id!inner()').eq('batch', lib.batch).eq('writer.name', 'Ann').order('title');
    expect(data).toEqual([{ title: 'Dune' }, { title: 'Emma' }]);
  });

  it('orders and limits embedded rows, and ors within them (referencedTable)', async () => {
    const { data } = await from('authors')
      .select('name, books!author_id(title)')
      .eq('batch', lib.batch)
      .eq('name', 'Ann')
      .order('title', { referencedTable: 'books', ascending: false })
      .limit(1, { referencedTable: 'books' });
    expect(data).toEqual([{ name: 'Ann', books: [{ title: 'Emma' }] }]);
    const ranged = await from('authors').select('name, books!author_id(title)').eq('batch', lib.batch).eq('name', 'Ann').order('title', { referencedTable: 'books' }).range(1, 1, { referencedTable: 'books' });
    expect(ranged.data).toEqual([{ name: 'Ann', books: [{ title: 'Emma' }] }]);
    const ored = await from('authors').select('name, books!author_id(title)').eq('batch', lib.batch).eq('name', 'Ann').or('title.eq.Dune,title.eq.Fog', { referencedTable: 'books' });
    expect(ored.data).toEqual([{ name: 'Ann', books: [{ title: 'Dune' }] }]);
  });

  it('orders parents by a to-one embedded column', async () => {
    const { data, error } = await from('books').select('title, writer:authors!author_id(name)').eq('batch', lib.batch).not('author_id', 'is', null).order('writer(name)', { ascending: false }).order('title');
    expect(error).toBeNull();
    expect(data!.map((b) => b.title)).toEqual(['Fog', 'Dune', 'Emma']);
  });

  it('filters on whether a to-one or to-many embed is null', async () => {
    const noAuthor = await from('books').select('title, writer:authors!author_id(name)').eq('batch', lib.batch).is('writer', null);
    expect(noAuthor.data).toEqual([{ title: 'Gone', writer: null }]);
    const withTags = await from('books').select('title, tags(name)', { count: 'exact' }).eq('batch', lib.batch).eq('tags.name', 'scifi').not('tags', 'is', null);
    expect(withTags.data).toEqual([{ title: 'Dune', tags: [{ name: 'scifi' }] }]);
    expect(withTags.count).toBe(1);
  });
});

describe('REST embedding: errors', () => {
  it('answers 400 PGRST200 for an unknown relationship, with a suggestion', async () => {
    const { error, status } = await from('books').select('title, author(name)').eq('batch', lib.batch);
    expect(status).toBe(400);
    expect(error).toEqual({
      code: 'PGRST200',
      message: "Could not find a relationship between 'books' and 'author' in the schema cache",
      details: "Searched for a foreign key relationship between 'books' and 'author' in the schema 'conformance', but no matches were found.",
      hint: "Perhaps you meant 'authors' instead of 'author'.",
    });
    const hinted = await from('books').select('title, authors!nope(name)');
    expect(hinted.error).toMatchObject({
      code: 'PGRST200',
      details: "Searched for a foreign key relationship between 'books' and 'authors' using the hint 'nope' in the schema 'conformance', but no matches were found.",
    });
  });

  it('answers 300 PGRST201 for an ambiguous embedding, listing the candidates', async () => {
    const { error, status } = await from('books').select('title, authors(name)');
    expect(status).toBe(300);
    expect(error).toEqual({
      code: 'PGRST201',
      message: "Could not embed because more than one relationship was found for 'books' and 'authors'",
      details: [
        { cardinality: 'many-to-one', embedding: 'books with authors', relationship: 'books_author_id_fkey using books(author_id) and authors(id)' },
        { cardinality: 'many-to-one', embedding: 'books with authors', relationship: 'books_editor_id_fkey using books(editor_id) and authors(id)' },
      ],
      hint: "Try changing 'authors' to one of the following: 'authors!books_author_id_fkey', 'authors!books_editor_id_fkey'. Find the desired relationship in the 'details' key.",
    });
  });

  it('answers 400 PGRST108 for a filter, order or limit on a resource that is not embedded', async () => {
    const filtered = await from('books').select('title').eq('tags.name', 'x');
    expect(filtered.error).toEqual({
      code: 'PGRST108',
      message: "'tags' is not an embedded resource in this request",
      details: null,
      hint: "Verify that 'tags' is included in the 'select' query parameter.",
    });
    expect((await from('books').select('title').order('name', { referencedTable: 'tags' })).error!.code).toBe('PGRST108');
    expect((await from('books').select('title').order('writer(name)')).error!.code).toBe('PGRST108');
  });

  it('answers 400 PGRST118 for ordering by a to-many embed, PGRST119 for spreading one', async () => {
    const ordered = await from('authors').select('name, books!author_id(title)').order('books(title)');
    expect(ordered.status).toBe(400);
    expect(ordered.error).toEqual({
      code: 'PGRST118',
      message: "A related order on 'books' is not possible",
      details: "'authors' and 'books' do not form a many-to-one or one-to-one relationship",
      hint: null,
    });
    const spread = await from('authors').select('name, ...books!author_id(title)');
    expect(spread.status).toBe(400);
    expect(spread.error).toEqual({
      code: 'PGRST119',
      message: "A spread operation on 'books' is not possible",
      details: "'authors' and 'books' do not form a many-to-one or one-to-one relationship",
      hint: null,
    });
  });

  it('answers 42703 for an unknown column of an embedded resource', async () => {
    const { error, status } = await from('books').select('title, writer:authors!author_id(nope)');
    expect(status).toBe(400);
    expect(error).toEqual({ code: '42703', message: 'column authors_1.nope does not exist', details: null, hint: null });
  });

  it('embeds from a table of the other schema only in that schema', async () => {
    const res = await rest('/books?select=title,tags(name)', { headers: { 'accept-profile': 'public' } });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).code).toBe('PGRST200');
  });
});
