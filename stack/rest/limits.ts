// Bounds on what one request may ask for, so that cheap-to-send requests are refused with a 4xx
// before they cost a deep stack, a huge SQL statement or a huge response. PostgREST itself has no
// such bounds (it relies on Haskell's heap and the database's statement_timeout); the values are
// generous for real clients (the app embeds one level deep and selects a few dozen items).
import { errors } from './errors.ts';
import type { ReadNode } from './read-plan.ts';
import type { SelectItem } from './types.ts';

/** Parentheses nested in one query parameter (logic trees, select). */
export const MAX_PARAM_NESTING = 32;
/** Embedded resources inside embedded resources: `a(b(c(*)))` is 3 levels. */
export const MAX_EMBED_DEPTH = 3;
/** Embedded resources in one select, at all levels. */
export const MAX_EMBEDS = 50;
/** Items in one select (fields and embeds, at all levels), in one order, in columns / on_conflict. */
export const MAX_LIST_ITEMS = 300;
/** Arrays and objects nested in a JSON request body. */
export const MAX_BODY_NESTING = 256;
/** Columns one level of a read selects once `*` and spreads are expanded (Postgres refuses more than 1,664 with 54011). */
export const MAX_LEVEL_COLUMNS = 1600;
/** Bytes of one response body. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Counts select items, embeds and the embedding depth; throws when one exceeds its limit. */
export function checkSelectLimits(items: SelectItem[]): void {
  let count = 0;
  let embeds = 0;
  let depth = 0;
  const walk = (list: SelectItem[], level: number) => {
    for (const item of list) {
      count++;
      if (item.kind === 'field') continue;
      embeds++;
      depth = Math.max(depth, level);
      walk(item.children, level + 1);
    }
  };
  walk(items, 1);
  if (depth > MAX_EMBED_DEPTH)
    throw errors.limitExceeded(`The select parameter embeds resources ${depth} levels deep; at most ${MAX_EMBED_DEPTH} are allowed`, 'Embed fewer levels, or read the deeper resources with a separate request.');
  if (embeds > MAX_EMBEDS)
    throw errors.limitExceeded(`The select parameter has ${embeds} embedded resources; at most ${MAX_EMBEDS} are allowed`, 'Embedded resources are counted at every level.');
  if (count > MAX_LIST_ITEMS)
    throw errors.limitExceeded(`The select parameter has ${count} items; at most ${MAX_LIST_ITEMS} are allowed`, 'Fields and embedded resources are counted at every level.');
}

const isStar = (f: ReadNode['fields'][number]) => f.outputName === '*' && f.column === '*' && !f.aggregate;

/**
 * Columns a node puts in its SELECT list (at most): `*` as its table's columns, order terms as hidden
 * ones, and a spread embed as its own width, once more for each `*` in it (each is re-selected as
 * `alias.*`, all of the spread's columns).
 */
function levelWidth(node: ReadNode): number {
  const fields = node.fields.reduce((n, f) => n + (isStar(f) ? (node.source.columns?.size ?? 1) : 1), 0);
  const embeds = node.children.reduce((n, c) => n + (c.embed?.spread ? levelWidth(c) * (1 + c.fields.filter(isStar).length) : 1), 0);
  return fields + embeds + node.order.length;
}

/** Throws when a level of the read plan would select more than MAX_LEVEL_COLUMNS columns. */
export function checkReadWidth(node: ReadNode): void {
  const width = levelWidth(node);
  if (width > MAX_LEVEL_COLUMNS)
    throw errors.limitExceeded(`The select parameter reads ${width} columns from '${node.source.name}'; at most ${MAX_LEVEL_COLUMNS} are allowed`, 'A * counts every column of its table.');
  for (const child of node.children) checkReadWidth(child);
}

/** `what` as the parser names it: "order", "columns parameter". */
export function checkListLength(what: string, length: number): void {
  if (length > MAX_LIST_ITEMS) throw errors.limitExceeded(`The ${what} has ${length} items; at most ${MAX_LIST_ITEMS} are allowed`, null);
}

/**
 * Whether a JSON text nests arrays and objects deeper than `max` (stopping there): Postgres parses
 * json recursively and fails with 54001 (a 500) on deep documents.
 */
export function jsonNestingExceeds(text: string, max = MAX_BODY_NESTING): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string: up to the next quote that is not escaped.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
