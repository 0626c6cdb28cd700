// The select parameter: columns with aliases, casts and JSON paths, embedded resources with hints,
// join types and spreads (QueryParams.hs pFieldForest).
import type { Parser } from './grammar.ts';
import { aliasAhead, fieldName, firstAhead, identifier, jsonPath, lexeme } from './parse-lexical.ts';
import type { AggregateFunction, Field, SelectItem } from './types.ts';

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
    const alias = optionalAlias(p);
    if (p.startsWith('count()')) {
      const count = p.attempt(() => {
        p.string('count()');
        const cast = castSuffix(p);
        selectEnd(p);
        return { kind: 'field' as const, field: { name: '*', jsonPath: [] }, aggregate: 'count' as const, ...(alias !== undefined && { alias }), ...(cast !== undefined && { aggregateCast: cast }) };
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
            // As PostgREST's pAggregation: the name, then "()", each failing where it starts.
            const name = p.choice('', ...AGGREGATES.map((a) => () => p.string(a) as AggregateFunction));
            p.string('()');
            return name;
          })
        : undefined;
    const aggregateCast = castSuffix(p);
    selectEnd(p);
    return {
      kind: 'field',
      field: f,
      ...(alias !== undefined && { alias }),
      ...(cast !== undefined && { cast }),
      ...(aggregate !== undefined && { aggregate }),
      ...(aggregateCast !== undefined && { aggregateCast }),
    };
  });
}

/** `alias:` before a field or relation, when there is one. */
function optionalAlias(p: Parser): string | undefined {
  return aliasAhead(p)
    ? p.attempt(() => {
        const name = fieldName(p);
        aliasSeparator(p);
        return name;
      })
    : undefined;
}

function relationSelect(p: Parser): SelectItem {
  return lexeme(p, () => {
    if (p.optionalString('...')) {
      const name = fieldName(p);
      const params = embedParams(p);
      p.followedBy(['('], false);
      return { kind: 'spread' as const, name, ...params, children: [] };
    }
    const alias = optionalAlias(p);
    const name = fieldName(p);
    if (name === 'count') p.fail('relation');
    const params = embedParams(p);
    p.followedBy(['('], false);
    return { kind: 'relation' as const, name, ...(alias !== undefined && { alias }), ...params, children: [] };
  });
}

export function selectForest(p: Parser): SelectItem[] {
  const items: SelectItem[] = [];
  const tree = (): SelectItem => {
    const ahead = firstAhead(p, ',()!');
    const relation = ahead === '(' || ahead === '!' ? p.attempt(() => relationSelect(p)) : undefined;
    if (relation && relation.kind !== 'field') {
      p.char('(');
      relation.children = p.nested(() => selectForest(p));
      p.char(')');
      return relation;
    }
    return fieldSelect(p);
  };
  // parsec's sepBy: an empty forest, unless the failed item consumed input (then its failure stands;
  // parsing the item again to raise it would double the work at every nesting level).
  const first = p.optional(tree);
  if (first === undefined) return items;
  items.push(first);
  while (lexeme(p, () => p.optionalString(','))) items.push(tree());
  return items;
}
