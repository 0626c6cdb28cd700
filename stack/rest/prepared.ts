// Named prepared statements, reused per connection for repeated SQL text (as PostgREST prepares its
// statements): a request shape seen before skips parsing and planning. Bounded per connection.
import { createHash } from 'node:crypto';
import type pg from 'pg';

const MAX_PER_CONNECTION = 500;
const preparedNames = new WeakMap<pg.ClientBase, Set<string>>();
const MAX_NAMED_TEXTS = 2000;
const nameOfText = new Map<string, string>();

function statementName(text: string): string {
  let name = nameOfText.get(text);
  if (name === undefined) {
    name = `pgrst_${createHash('sha1').update(text).digest('hex')}`;
    if (nameOfText.size >= MAX_NAMED_TEXTS) nameOfText.clear();
    nameOfText.set(text, name);
  }
  return name;
}

export function preparedQuery(client: pg.ClientBase, text: string, values: unknown[]): pg.QueryConfig {
  const name = statementName(text);
  let names = preparedNames.get(client);
  if (!names) {
    names = new Set();
    preparedNames.set(client, names);
  }
  if (!names.has(name)) {
    if (names.size >= MAX_PER_CONNECTION) return { text, values };
    names.add(name);
  }
  return { name, text, values };
}
