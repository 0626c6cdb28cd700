// The lexical pieces shared by PostgREST's query-string grammars: field names (plain, dashed or
// quoted), JSON paths, lexemes, and cheap lookaheads that keep failed alternatives rare.
import type { Parser } from './grammar.ts';
import type { Field, JsonOperation } from './types.ts';

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c > '\u007f' && /\p{L}/u.test(c));
const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentifierChar = (c: string) => isLetter(c) || isDigit(c) || c === '_' || c === ' ' || c === '$';

/**
 * Cheap lookahead (skipping quoted names) to the first character among `stops` in the current item,
 * so the parser only tries alternatives that can match: failed attempts are the slow path.
 */
export function firstAhead(p: Parser, stops: string): string | undefined {
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
export function aliasAhead(p: Parser): boolean {
  const stop = firstAhead(p, ':,()!');
  if (stop !== ':') return false;
  const at = p.input.indexOf(':', p.pos);
  return p.input[at + 1] !== ':';
}

export function lexeme<T>(p: Parser, inner: () => T): T {
  p.spaces();
  const value = inner();
  p.spaces();
  return value;
}

export function identifier(p: Parser): string {
  return p.many1(isIdentifierChar, 'letter or digit').trim();
}

export function quotedValue(p: Parser): string {
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

export function fieldName(p: Parser): string {
  if (p.peek() === '"') return quotedValue(p);
  return p.choice('field name (* or [a..z0..9_$])', () => sepByDash(p, () => identifier(p)));
}

export function jsonPath(p: Parser): JsonOperation[] {
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

export function field(p: Parser): Field {
  return lexeme(p, () => ({ name: fieldName(p), jsonPath: jsonPath(p) }));
}
