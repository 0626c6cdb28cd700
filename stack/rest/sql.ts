// SQL text helpers: identifiers are quoted (only after being checked against the schema cache),
// every value from a request becomes a bind parameter.

/** Collects bind parameters; `add` returns the placeholder. */
export class Params {
  readonly values: Array<string | Buffer | null> = [];

  add(value: string | Buffer | null): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** LIMIT/OFFSET with the numbers as parameters (so statements stay reusable), as PostgREST writes it. */
export function limitOffsetSql(range: { lower: number; upper: number }, params: Params): string {
  if (range.lower === 0 && range.upper === Infinity) return '';
  const limit = range.upper === Infinity ? 'ALL' : params.add(String(range.upper - range.lower + 1));
  return ` LIMIT ${limit} OFFSET ${params.add(String(range.lower))}`;
}

/** A quoted identifier; like PostgREST, text after a NUL character is dropped. */
export function ident(name: string): string {
  const nul = name.indexOf('\u0000');
  return `"${(nul < 0 ? name : name.slice(0, nul)).replaceAll('"', '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return schema === '' ? ident(name) : `${ident(schema)}.${ident(name)}`;
}

/** A Postgres array literal of text elements, as PostgREST builds it for `in.(...)`. */
export function arrayLiteral(values: string[]): string {
  const escape = (v: string) => {
    const nul = v.indexOf('\u0000');
    const trimmed = nul < 0 ? v : v.slice(0, nul);
    return `"${trimmed.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  };
  return `{${values.map(escape).join(',')}}`;
}

const TOKENS = /"(?:[^"]|"")*"|'(?:[^']|'')*'|\$(\d+)/g;

/**
 * Renumbers the placeholders a statement uses and drops the others: Postgres refuses parameters it
 * cannot type because nothing references them (a count query uses only some of a read's values).
 */
export function compactParams(text: string, values: Array<string | Buffer | null>): { text: string; values: Array<string | Buffer | null> } {
  const mapping = new Map<number, number>();
  const used: Array<string | Buffer | null> = [];
  const rewritten = text.replace(TOKENS, (token, n: string | undefined) => {
    if (n === undefined) return token;
    const index = Number(n);
    let next = mapping.get(index);
    if (next === undefined) {
      used.push(values[index - 1] ?? null);
      next = used.length;
      mapping.set(index, next);
    }
    return `$${next}`;
  });
  return { text: rewritten, values: used };
}
