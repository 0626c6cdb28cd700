// The query-string language of PostgREST v12 (src/PostgREST/ApiRequest/QueryParams.hs): select trees,
// filters, and/or trees, order terms, limit/offset, columns and on_conflict.
import { RestError } from './errors.ts';
import { Parser } from './grammar.ts';
import type {
  AggregateFunction, EmbedPath, Field, Filter, FtsOperator, JsonOperation, LogicTree, OpExpr, Operation, OrderTerm,
  QuantOperator, QueryParams, SelectItem, SimpleOperator, TrileanValue,
} from './types.ts';

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c > '\u007f' && /\p{L}/u.test(c));
const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentifierChar = (c: string) => isLetter(c) || isDigit(c) || c === '_' || c === ' ' || c === '$';

/**
 * Cheap lookahead (skipping quoted names) to the first character among `stops` in the current item,
 * so the parser only tries alternatives that can match: failed attempts are the slow path.
 */
function firstAhead(p: Parser, stops: string): string | undefined {
  let i = p.pos;
  while (i < p.input.length) {
    const c = p.input[i] as string;
    if (c === '"') {
      i++;
      while (i < p.input.length && p.input[i] !== '"') i += p.input[i] === '\\' ? 2 : 1;
    } else if (stops.includes(c)) return c;
    i++;
  }
  return undefined;
}

/** An `alias:` ahead (a colon not followed by another one, before the item ends). */
function aliasAhead(p: Parser): boolean {
  const stop = firstAhead(p, ':,()!');
  if (stop !== ':') return false;
  const at = p.input.indexOf(':', p.pos);
  return p.input[at + 1] !== ':';
}

function lexeme<T>(p: Parser, inner: () => T): T {
  p.spaces();
  const value = inner();
  p.spaces();
  return value;
}

function identifier(p: Parser): string {
  return p.many1(isIdentifierChar, 'letter or digit').trim();
}

function quotedValue(p: Parser): string {
  p.char('"');
  let out = '';
  for (;;) {
    const c = p.peek();
    if (c === undefined) p.fail('"\\""');
    p.pos++;
    if (c === '"') return out;
    if (c === '\\') {
      const escaped = p.peek();
      if (escaped === undefined) p.fail('any character');
      p.pos++;
      out += escaped;
    } else out += c;
  }
}

/** `ident(-ident)*`, where a dash followed by `>` is a JSON arrow, not part of the name. */
function sepByDash(p: Parser, part: () => string): string {
  const parts = [part()];
  while (p.peek() === '-' && p.peek(1) !== '>') {
    const next = p.attempt(() => {
      p.pos++;
      return part();
    });
    if (next === undefined) break;
    parts.push(next);
  }
  return parts.join('-');
}

function fieldName(p: Parser): string {
  if (p.peek() === '"') return quotedValue(p);
  return p.choice('field name (* or [a..z0..9_$])', () => sepByDash(p, () => identifier(p)));
}

function jsonPath(p: Parser): JsonOperation[] {
  const path: JsonOperation[] = [];
  for (;;) {
    const arrow = p.startsWith('->>') ? '->>' : p.startsWith('->') ? '->' : undefined;
    if (!arrow) return path;
    p.pos += arrow.length;
    const next = p.peek();
    const index = next !== undefined && (isDigit(next) || next === '-') ? p.attempt(() => {
      const sign = p.optionalString('-') ? '-' : '+';
      const digits = p.many1(isDigit, 'digit');
      p.followedBy(['->', '::', '.', ','], true);
      return sign + digits;
    }) : undefined;
    if (index !== undefined) {
      path.push({ arrow, index });
      continue;
    }
    const key = p.peek() === '"' ? quotedValue(p) : sepByDash(p, () => p.many1((c) => !'(-:.,>)'.includes(c), 'any non reserved character different from: .,>()').trim());
    path.push({ arrow, key });
  }
}

function field(p: Parser): Field {
  return lexeme(p, () => ({ name: fieldName(p), jsonPath: jsonPath(p) }));
}

function aliasSeparator(p: Parser): void {
  p.char(':');
  if (p.peek() === ':') p.fail('alias separator');
}

function selectEnd(p: Parser): void {
  p.followedBy([')', ','], true);
}

function castSuffix(p: Parser): string | undefined {
  if (!p.startsWith('::')) return undefined;
  p.pos += 2;
  return identifier(p);
}

function embedParams(p: Parser): { hint?: string; joinType?: 'inner' | 'left' } {
  const out: { hint?: string; joinType?: 'inner' | 'left' } = {};
  for (let i = 0; i < 2 && p.peek() === '!'; i++) {
    p.pos++;
    if (p.optionalString('left')) out.joinType ??= 'left';
    else if (p.optionalString('inner')) out.joinType ??= 'inner';
    else out.hint ??= fieldName(p);
  }
  return out;
}

const AGGREGATES: AggregateFunction[] = ['sum', 'avg', 'count', 'max', 'min'];

function fieldSelect(p: Parser): SelectItem {
  return lexeme(p, (): SelectItem => {
    if (p.peek() === '*') {
      const star = p.attempt(() => {
        p.char('*');
        selectEnd(p);
        return { kind: 'field' as const, field: { name: '*', jsonPath: [] } };
      });
      if (star) return star;
    }
    const alias = aliasAhead(p)
      ? p.attempt(() => {
          const name = fieldName(p);
          aliasSeparator(p);
          return name;
        })
      : undefined;
    if (p.startsWith('count()')) {
      const count = p.attempt(() => {
        p.string('count()');
        const cast = castSuffix(p);
        selectEnd(p);
        return { kind: 'field' as const, field: { name: '*', jsonPath: [] }, aggregate: 'count' as const, ...(alias !== undefined && { alias }), ...(cast !== undefined && { cast }) };
      });
      if (count) return count;
    }
    const f: Field = { name: fieldName(p), jsonPath: jsonPath(p) };
    p.spaces();
    const cast = castSuffix(p);
    const aggregate =
      p.peek() === '.'
        ? p.attempt(() => {
            p.char('.');
            const name = AGGREGATES.find((a) => p.startsWith(a + '()'));
            if (!name) p.fail('aggregate function');
            p.pos += name.length + 2;
            return name;
          })
        : undefined;
    castSuffix(p);
    selectEnd(p);
    return { kind: 'field', field: f, ...(alias !== undefined && { alias }), ...(cast !== undefined && { cast }), ...(aggregate !== undefined && { aggregate }) };
  });
}

function relationSelect(p: Parser): SelectItem {
  return lexeme(p, () => {
    if (p.optionalString('...')) {
      const name = fieldName(p);
      const params = embedParams(p);
      p.followedBy(['('], false);
      return { kind: 'spread' as const, name, ...params, children: [] };
    }
    const alias = aliasAhead(p)
      ? p.attempt(() => {
          const name = fieldName(p);
          aliasSeparator(p);
          return name;
        })
      : undefined;
    const name = fieldName(p);
    if (name === 'count') p.fail('relation');
    const params = embedParams(p);
    p.followedBy(['('], false);
    return { kind: 'relation' as const, name, ...(alias !== undefined && { alias }), ...params, children: [] };
  });
}

function selectForest(p: Parser): SelectItem[] {
  const items: SelectItem[] = [];
  const tree = (): SelectItem => {
    const ahead = firstAhead(p, ',()!');
    const relation = ahead === '(' || ahead === '!' ? p.attempt(() => relationSelect(p)) : undefined;
    if (relation && relation.kind !== 'field') {
      p.char('(');
      relation.children = selectForest(p);
      p.char(')');
      return relation;
    }
    return fieldSelect(p);
  };
  const start = p.pos;
  const first = p.attempt(tree);
  if (first === undefined) {
    // parsec's sepBy: an empty forest, unless the failed item consumed input.
    if (p.furthestFailure > start) tree();
    return items;
  }
  items.push(first);
  while (lexeme(p, () => p.optionalString(','))) items.push(tree());
  return items;
}

const SIMPLE_OPERATORS: SimpleOperator[] = ['neq', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj'];
const QUANT_OPERATORS: QuantOperator[] = ['eq', 'gte', 'gt', 'lte', 'lt', 'like', 'ilike', 'match', 'imatch'];
const FTS_OPERATORS: FtsOperator[] = ['fts', 'plfts', 'phfts', 'wfts'];
const TRILEAN: TrileanValue[] = ['null', 'unknown', 'true', 'false'];

function listValue(p: Parser): string[] {
  lexeme(p, () => p.char('('));
  const element = () =>
    p.attempt(() => {
      const v = quotedValue(p);
      if (p.peek() !== undefined && p.peek() !== ',' && p.peek() !== ')') p.fail('"," or ")"');
      return v;
    }) ?? p.many((c) => c !== ',' && c !== ')');
  const values = [element()];
  while (p.optionalString(',')) values.push(element());
  lexeme(p, () => p.char(')'));
  return values;
}

/** pOpExpr; `committed` tells whether input was consumed before a failure (parsec's `<|>` rule). */
function opExpr(p: Parser, value: () => string, state: { committed: boolean }): OpExpr {
  const negated = p.optionalString('not.');
  if (negated) state.committed = true;
  const operation = ((): Operation => {
    if (p.optionalString('in.')) {
      state.committed = true;
      return { kind: 'in', values: listValue(p) };
    }
    if (p.optionalString('is.')) {
      state.committed = true;
      const found = TRILEAN.find((t) => p.input.slice(p.pos, p.pos + t.length).toLowerCase() === t);
      if (!found) p.fail('null or trilean value (unknown, true, false)');
      p.pos += found.length;
      return { kind: 'is', value: found };
    }
    if (p.optionalString('isdistinct.')) {
      state.committed = true;
      return { kind: 'isdistinct', value: value() };
    }
    const ftsOp = [...FTS_OPERATORS].reverse().find((o) => p.startsWith(o));
    const fts = ftsOp && p.attempt(() => {
      const op = ftsOp;
      p.pos += op.length;
      const language = p.attempt(() => {
        p.char('(');
        const lang = identifier(p);
        p.char(')');
        return lang;
      });
      p.char('.', 'delimiter (.)');
      return { kind: 'fts' as const, op, ...(language !== undefined && { language }), value: value() };
    });
    if (fts) return fts;
    const simpleOp = SIMPLE_OPERATORS.find((o) => p.startsWith(o));
    const simple = simpleOp && p.attempt(() => {
      const op = simpleOp;
      p.pos += op.length;
      p.char('.', 'delimiter (.)');
      return { kind: 'simple' as const, op, value: value() };
    });
    if (simple) return simple;
    const quantOp = QUANT_OPERATORS.find((o) => p.startsWith(o));
    const quant = quantOp && p.attempt(() => {
      const op = quantOp;
      p.pos += op.length;
      const quantifier: 'any' | 'all' | undefined = p.optionalString('(any)') ? 'any' : p.optionalString('(all)') ? 'all' : undefined;
      p.char('.', 'delimiter (.)');
      return { kind: 'quant' as const, op, ...(quantifier && { quantifier }), value: value() };
    });
    if (quant) return quant;
    return p.fail('operator (eq, gt, ...)');
  })();
  return { negated, operation };
}

function restOfInput(p: Parser): string {
  const v = p.input.slice(p.pos);
  p.pos = p.input.length;
  return v;
}

function logicValue(p: Parser): string {
  const quoted = p.attempt(() => {
    const v = quotedValue(p);
    if (p.peek() !== undefined && p.peek() !== ',' && p.peek() !== ')') p.fail('"," or ")"');
    return v;
  });
  if (quoted !== undefined) return quoted;
  const array = p.attempt(() => {
    p.char('{');
    const inner = p.many((c) => c !== '{' && c !== '}');
    p.char('}');
    return `{${inner}}`;
  });
  if (array !== undefined) return array;
  return p.many((c) => c !== ',' && c !== ')');
}

function logicTree(p: Parser): LogicTree {
  const filter = p.attempt((): LogicTree => {
    const f = field(p);
    p.char('.', 'delimiter (.)');
    return { kind: 'filter', filter: { field: f, expr: opExpr(p, () => logicValue(p), { committed: false }) } };
  });
  if (filter) return filter;
  const negated = p.optionalString('not.');
  const op = p.optionalString('and') ? 'and' : p.optionalString('or') ? 'or' : p.fail('logic operator (and, or)');
  lexeme(p, () => p.char('('));
  const children = [logicTree(p)];
  while (lexeme(p, () => p.optionalString(','))) children.push(logicTree(p));
  lexeme(p, () => p.char(')'));
  return { kind: 'expr', negated, op, children };
}

function orderTerms(p: Parser): OrderTerm[] {
  const direction = () => (p.optionalString('.asc') ? ('asc' as const) : p.optionalString('.desc') ? ('desc' as const) : undefined);
  const nulls = () => (p.optionalString('.nullsfirst') ? ('first' as const) : p.optionalString('.nullslast') ? ('last' as const) : undefined);
  const end = () => p.followedBy([','], true);
  const term = (): OrderTerm =>
    lexeme(p, () => {
      const related = firstAhead(p, ',(') === '(' ? p.attempt(() => {
        const relation = fieldName(p);
        p.char('(');
        const f = field(p);
        p.char(')');
        return { relation, field: f };
      }) : undefined;
      const base = related ?? { field: field(p) };
      const dir = direction();
      const nl = nulls();
      end();
      return { ...base, ...(dir && { direction: dir }), ...(nl && { nulls: nl }) };
    });
  const terms = [term()];
  while (p.optionalString(',')) terms.push(term());
  return terms;
}

function columnList(p: Parser): string[] {
  const names = [lexeme(p, () => fieldName(p))];
  while (lexeme(p, () => p.optionalString(','))) names.push(lexeme(p, () => fieldName(p)));
  return names;
}

function treePath(p: Parser): { path: EmbedPath; field: Field } {
  const names = [fieldName(p)];
  while (p.peek() === '.') {
    p.pos++;
    names.push(fieldName(p));
  }
  const jp = jsonPath(p);
  return { path: names.slice(0, -1), field: { name: names.at(-1) as string, jsonPath: jp } };
}

function parseOrThrow<T>(input: string, what: string, p: (parser: Parser) => T): T {
  const result = new Parser(input, what).run(p);
  if (result instanceof RestError) throw result;
  return result;
}

export const parseSelect = (s: string) => parseOrThrow(s, 'select parameter', selectForest);
export const parseColumns = (s: string, what: 'columns' | 'on_conflict') => parseOrThrow(s, `${what} parameter`, columnList);

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
