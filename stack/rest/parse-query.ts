// The query string of a request (src/PostgREST/ApiRequest/QueryParams.hs): which parameters are
// select, filters, and/or trees, order, limit/offset, columns and on_conflict, each parsed.
import { RestError } from './errors.ts';
import { Parser } from './grammar.ts';
import { checkSelectLimits } from './limits.ts';
import { columnList, logicTree, opExpr, orderTerms, restOfInput, treePath } from './parse-filter.ts';
import { fieldName } from './parse-lexical.ts';
import { selectForest } from './parse-select.ts';
import type { Filter, QueryParams } from './types.ts';

function parseOrThrow<T>(input: string, what: string, p: (parser: Parser) => T): T {
  const result = new Parser(input, what).run(p);
  if (result instanceof RestError) throw result;
  return result;
}

const parseSelect = (s: string) => {
  const items = parseOrThrow(s, 'select parameter', selectForest);
  checkSelectLimits(items);
  return items;
};
const parseColumns = (s: string, what: 'columns' | 'on_conflict') => parseOrThrow(s, `${what} parameter`, columnList);

/** Splits `a=1&b` into decoded pairs; a parameter without `=` has no value and is ignored, as in PostgREST. */
export function decodeQueryString(search: string): Array<[string, string]> {
  const decode = (s: string) => {
    const plus = s.replaceAll('+', ' ');
    try {
      return decodeURIComponent(plus);
    } catch {
      return plus;
    }
  };
  const pairs: Array<[string, string]> = [];
  for (const part of search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    pairs.push([decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return pairs;
}

const lastSegment = (key: string) => key.slice(key.lastIndexOf('.') + 1);
const RESERVED = new Set(['select', 'columns', 'on_conflict']);
const RESERVED_EMBEDDABLE = new Set(['order', 'limit', 'offset', 'and', 'or']);

function readInteger(v: string): number | undefined {
  return /^\s*-?\d+\s*$/.test(v) ? Number(v) : undefined;
}

function canonicalOf(pairs: Array<[string, string]>): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return [...pairs]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join('&');
}

/** Parses all the query parameters of a request; `isRpcRead` lets operator-less parameters be RPC arguments. */
export function parseQueryParams(search: string, isRpcRead: boolean): QueryParams {
  const pairs = decodeQueryString(search);
  const get = (name: string) => pairs.find(([k]) => k === name)?.[1];

  const order = pairs
    .filter(([k]) => lastSegment(k) === 'order')
    .map(([k, v]) => ({ path: parseOrThrow(k, 'tree path', treePath).path, terms: parseOrThrow(v, 'order', orderTerms) }));

  const logic = pairs
    .filter(([k]) => lastSegment(k) === 'and' || lastSegment(k) === 'or')
    .map(([k, v]) => {
      const names = parseOrThrow(k, 'logic path', (p) => {
        const out = [fieldName(p)];
        while (p.optionalString('.')) out.push(fieldName(p));
        return out;
      });
      const negated = names.slice(0, -1).includes('not');
      const path = names.slice(0, -1).filter((n) => n !== 'not');
      // Parsed as "or(...)" so the value reads like a nested tree, as PostgREST does.
      const tree = new Parser(`${negated ? 'not.' : ''}${names.at(-1)}${v}`, 'logic tree', v).run(logicTree);
      if (tree instanceof RestError) throw tree;
      return { path, tree };
    });

  const columnsRaw = get('columns');
  const columns = columnsRaw === undefined ? undefined : parseColumns(columnsRaw, 'columns');
  const select = parseSelect(get('select') ?? '*');

  const filters: QueryParams['filters'] = [];
  const rpcArgs: Array<[string, string]> = [];
  const filterFields = new Set<string>();
  for (const [k, v] of pairs) {
    if (RESERVED.has(k) || RESERVED_EMBEDDABLE.has(lastSegment(k))) continue;
    filterFields.add(k);
    const { path, field: f } = parseOrThrow(k, 'tree path', treePath);
    const state = { committed: false };
    const parser = new Parser(v, 'filter');
    const result = parser.run((p) => opExpr(p, () => restOfInput(p), state));
    if (result instanceof RestError) {
      if (isRpcRead && !state.committed) {
        rpcArgs.push([k, v]);
        continue;
      }
      throw result;
    }
    filters.push({ path, filter: { field: f, expr: result } satisfies Filter });
  }

  const onConflictRaw = get('on_conflict');
  const onConflict = onConflictRaw === undefined ? undefined : parseColumns(onConflictRaw, 'on_conflict');

  const limits = new Map<string, number>();
  const offsets = new Map<string, number>();
  for (const [k, v] of pairs) {
    const last = lastSegment(k);
    if (last !== 'limit' && last !== 'offset') continue;
    const n = readInteger(v);
    if (n === undefined) continue;
    const key = k.split('.').slice(0, -1).join('.');
    (last === 'limit' ? limits : offsets).set(key, n);
  }

  return {
    canonical: canonicalOf(pairs),
    select,
    filters,
    rpcArgs,
    logic,
    order,
    limits,
    offsets,
    ...(columns && { columns }),
    ...(onConflict && { onConflict }),
    filterFields,
  };
}
