// Closest-name suggestions for PGRST200/PGRST202 hints, in the spirit of the FuzzySet PostgREST uses:
// n-gram cosine similarity to find candidates, then a Levenshtein score, minimum score 0.33.

const MIN_SCORE = 0.33;

function grams(text: string, size: number): Map<string, number> {
  const padded = `-${text.toLowerCase()}-`;
  const out = new Map<string, number>();
  for (let i = 0; i + size <= padded.length; i++) {
    const g = padded.slice(i, i + size);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [g, n] of a) dot += n * (b.get(g) ?? 0);
  const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, n) => s + n * n, 0));
  const d = norm(a) * norm(b);
  return d === 0 ? 0 : dot / d;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] as number;
      prev[j] = Math.min(above + 1, (prev[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length] as number;
}

/** Candidates scored best first, each with its score in [0, 1]. */
export function fuzzyMatches(candidates: Iterable<string>, query: string): Array<[number, string]> {
  const unique = [...new Set(candidates)];
  for (const size of [3, 2]) {
    const q = grams(query, size);
    const scored = unique
      .filter((c) => cosine(q, grams(c, size)) > 0)
      .map((c): [number, string] => {
        const distance = levenshtein(c.toLowerCase(), query.toLowerCase());
        return [1 - distance / Math.max(c.length, query.length, 1), c];
      })
      .filter(([score]) => score >= MIN_SCORE)
      .sort((x, y) => y[0] - x[0]);
    if (scored.length > 0) return scored;
  }
  return [];
}

export function fuzzyBest(candidates: Iterable<string>, query: string): string | undefined {
  return fuzzyMatches(candidates, query)[0]?.[1];
}
