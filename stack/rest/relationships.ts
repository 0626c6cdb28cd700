// Choosing the relationship an embedding means (PostgREST's findRel) and its PGRST200/PGRST201 errors.
import { errors } from './errors.ts';
import { fuzzyBest, fuzzyMatches } from './fuzzy.ts';
import type { Relationship, SchemaCache } from './schema-cache.ts';

const singleColumn = (rel: Relationship) => (rel.cardinality !== 'm2m' && rel.columns.length === 1 ? rel.columns[0] : undefined);

function matches(rel: Relationship, target: string, hint: string | undefined): boolean {
  const single = singleColumn(rel);
  const isFkColumn = (name: string) => single !== undefined && single[0] === name;
  const isRefColumn = (name: string) => single !== undefined && single[1] === name;
  const isConstraint = (name: string) => rel.cardinality !== 'm2m' && rel.constraint === name;
  if (rel.isSelf) {
    if (hint === undefined) {
      return (target === rel.foreignTable.name && rel.cardinality === 'o2m') || (isFkColumn(target) && rel.cardinality === 'm2o');
    }
    return target === rel.foreignTable.name && rel.cardinality === 'o2m' && isRefColumn(hint);
  }
  if (hint === undefined) {
    return (
      target === rel.foreignTable.name ||
      (isConstraint(target) && !rel.foreignTableIsView) ||
      (isFkColumn(target) && !rel.foreignTableIsView)
    );
  }
  return (
    target === rel.foreignTable.name &&
    (isConstraint(hint) || isFkColumn(hint) || isRefColumn(hint) || (rel.junction !== undefined && rel.junction.table.name === hint))
  );
}

const CARDINALITY_NAMES = { m2o: 'many-to-one', o2m: 'one-to-many', o2o: 'one-to-one', m2m: 'many-to-many' } as const;

function describe(rel: Relationship): object {
  const list = (cols: string[]) => `(${cols.join(', ')})`;
  const relationship = rel.junction
    ? `${rel.junction.table.name} using ${rel.junction.constraint1}${list(rel.junction.sourceColumns.map(([, j]) => j))} and ${rel.junction.constraint2}${list(rel.junction.targetColumns.map(([, j]) => j))}`
    : `${rel.constraint} using ${rel.table.name}${list(rel.columns.map(([c]) => c))} and ${rel.foreignTable.name}${list(rel.columns.map(([, f]) => f))}`;
  return { cardinality: CARDINALITY_NAMES[rel.cardinality], embedding: `${rel.table.name} with ${rel.foreignTable.name}`, relationship };
}

function noRelationshipHint(cache: SchemaCache, schema: string, origin: string, target: string): string | null {
  const fromOrigin = cache.relationshipsFrom(schema, origin);
  if (fromOrigin.length > 0) {
    const suggestion = fuzzyMatches(fromOrigin.map((r) => r.foreignTable.name), target).find(([score]) => score < 1)?.[1];
    return suggestion ? `Perhaps you meant '${suggestion}' instead of '${target}'.` : null;
  }
  const origins = cache.tableNames(schema).filter((t) => cache.relationshipsFrom(schema, t).length > 0);
  const suggestion = fuzzyBest(origins, origin);
  return suggestion ? `Perhaps you meant '${suggestion}' instead of '${origin}'.` : null;
}

export function findRelationship(cache: SchemaCache, schema: string, origin: string, target: string, hint: string | undefined): Relationship {
  const found = cache.relationshipsFrom(schema, origin).filter((rel) => matches(rel, target, hint));
  if (found.length === 1) return found[0] as Relationship;
  if (found.length === 0) {
    throw errors.noRelationship(
      `Could not find a relationship between '${origin}' and '${target}' in the schema cache`,
      `Searched for a foreign key relationship between '${origin}' and '${target}'${hint === undefined ? '' : ` using the hint '${hint}'`} in the schema '${schema}', but no matches were found.`,
      noRelationshipHint(cache, schema, origin, target),
    );
  }
  const hints = found.map((rel) => `'${rel.foreignTable.name}!${rel.junction ? rel.junction.table.name : rel.constraint}'`).join(', ');
  throw errors.ambiguousRelationship(
    `Could not embed because more than one relationship was found for '${origin}' and '${target}'`,
    found.map(describe),
    `Try changing '${target}' to one of the following: ${hints}. Find the desired relationship in the 'details' key.`,
  );
}
