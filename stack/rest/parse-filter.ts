// Filters (operator expressions), and/or trees, order terms, column lists and embed paths
// (QueryParams.hs pOpExpr, pLogicTree, pOrder, pColumns, pTreePath).
import type { Parser } from './grammar.ts';
import { checkListLength } from './limits.ts';
import { field, fieldName, firstAhead, identifier, jsonPath, lexeme, quotedValue } from './parse-lexical.ts';
import type { EmbedPath, Field, FtsOperator, LogicTree, OpExpr, Operation, OrderTerm, QuantOperator, SimpleOperator, TrileanValue } from './types.ts';

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
export function opExpr(p: Parser, value: () => string, state: { committed: boolean }): OpExpr {
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

export function restOfInput(p: Parser): string {
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

export function logicTree(p: Parser): LogicTree {
  const filter = p.attempt((): LogicTree => {
    const f = field(p);
    p.char('.', 'delimiter (.)');
    return { kind: 'filter', filter: { field: f, expr: opExpr(p, () => logicValue(p), { committed: false }) } };
  });
  if (filter) return filter;
  const negated = p.optionalString('not.');
  const op = p.optionalString('and') ? 'and' : p.optionalString('or') ? 'or' : p.fail('logic operator (and, or)');
  lexeme(p, () => p.char('('));
  const children = p.nested(() => {
    const list = [logicTree(p)];
    while (lexeme(p, () => p.optionalString(','))) list.push(logicTree(p));
    return list;
  });
  lexeme(p, () => p.char(')'));
  return { kind: 'expr', negated, op, children };
}

export function orderTerms(p: Parser): OrderTerm[] {
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
  checkListLength(p.what, terms.length);
  return terms;
}

export function columnList(p: Parser): string[] {
  const names = [lexeme(p, () => fieldName(p))];
  while (lexeme(p, () => p.optionalString(','))) names.push(lexeme(p, () => fieldName(p)));
  checkListLength(p.what, names.length);
  return names;
}

export function treePath(p: Parser): { path: EmbedPath; field: Field } {
  const names = [fieldName(p)];
  while (p.peek() === '.') {
    p.pos++;
    names.push(fieldName(p));
  }
  const jp = jsonPath(p);
  return { path: names.slice(0, -1), field: { name: names.at(-1) as string, jsonPath: jp } };
}
