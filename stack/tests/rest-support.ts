// Shared arrangements for the REST conformance tests: seeded rows in the `conformance` schema
// (stack/tests/fixtures/rest.sql) under a unique batch, and raw HTTP for what supabase-js hides.
import { anonClient, db, serviceClient, stack, uniqueSuffix } from './support.ts';

export const conformance = () => anonClient().schema('conformance');
export const conformanceAsService = () => serviceClient().schema('conformance');

export interface Seeded {
  batch: string;
  authors: { ann: number; bob: number; cy: number };
  books: { dune: number; emma: number; fog: number; gone: number };
  tags: { classic: number; scifi: number };
}

/**
 * Three authors, four books (Ann wrote Dune and Emma, Bob wrote Fog, Gone has no author), two tags,
 * Ann has a profile. Every row carries the returned batch.
 */
export async function seedLibrary(): Promise<Seeded> {
  const batch = `b-${uniqueSuffix()}`;
  const q = async (sql: string, values: unknown[]) => (await db().query(sql, values)).rows;
  const [ann, bob, cy] = (await q(`insert into conformance.authors (name, batch) values ('Ann', $1), ('Bob', $1), ('Cy', $1) returning id`, [batch])).map((r) => Number(r.id));
  const books = await q(
    `insert into conformance.books (title, author_id, editor_id, published, price, tags, data, meta, mood, pages, body, code, batch) values
      ('Dune', $2, $3, 1965, 9.99, '{scifi,classic}', '{"rating": 5, "sizes": {"w": 10}, "list": [1, 2]}', '{"k": "v"}', 'happy', '[1,400)', 'spice must flow in the desert', $1 || '-dune', $1),
      ('Emma', $2, null, 1815, 5.50, '{classic}', '{"rating": 4}', null, 'ok', '[1,200)', 'a clever and rich young woman', $1 || '-emma', $1),
      ('Fog', $3, $2, 2001, null, '{}', null, null, 'sad', '[10,20)', 'the fog rolls in over the harbour', $1 || '-fog', $1),
      ('Gone', null, null, null, 20.00, null, '{"rating": 1}', null, null, null, null, null, $1)
     returning id, title`,
    [batch, ann, bob],
  );
  const id = (title: string) => Number(books.find((b) => b.title === title)!.id);
  const [classic, scifi] = (await q(`insert into conformance.tags (name, batch) values ('classic', $1), ('scifi', $1) returning id`, [batch])).map((r) => Number(r.id));
  await q(`insert into conformance.book_tags (book_id, tag_id, batch) values ($1, $3, $5), ($1, $4, $5), ($2, $3, $5)`, [id('Dune'), id('Emma'), classic, scifi, batch]);
  await q(`insert into conformance.profiles (author_id, bio, batch) values ($1, 'Writes books', $2)`, [ann, batch]);
  return {
    batch,
    authors: { ann: ann!, bob: bob!, cy: cy! },
    books: { dune: id('Dune'), emma: id('Emma'), fog: id('Fog'), gone: id('Gone') },
    tags: { classic: classic!, scifi: scifi! },
  };
}

/** A raw request to /rest/v1 with the anon key (and any other headers). */
export async function rest(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${stack().apiUrl}/rest/v1${path}`, {
    ...init,
    headers: { apikey: stack().anonKey, authorization: `Bearer ${stack().anonKey}`, ...init.headers },
  });
}

/** Rows of a conformance table for a batch, read directly from Postgres (to prove a request changed nothing). */
export async function rowsOf(table: string, batch: string): Promise<Array<Record<string, unknown>>> {
  return (await db().query(`select * from conformance.${table} where batch = $1 order by 1`, [batch])).rows;
}

/** A response's JSON body, loosely typed for assertions. */
export const bodyOf = async (res: Response): Promise<any> => res.json();
