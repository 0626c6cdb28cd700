// Postgres type names → TypeScript types, as `supabase gen types` writes them: JSON-compatible
// scalars, arrays, and references into the Database type for enums, composite types and row types.
import type { Catalog, PgType } from './catalog.ts';

const NUMBER = new Set(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']);
const STRING = new Set(['bytea', 'bpchar', 'varchar', 'date', 'text', 'citext', 'time', 'timetz', 'timestamp', 'timestamptz', 'uuid', 'vector', 'interval']);

export interface TypeContext {
  schemas: Set<string>;
  types: PgType[];
  typesById: Map<number, PgType>;
  /** Tables and views of the generated schemas, whose row types are referenced by name. */
  tables: Array<{ schema: string; name: string }>;
  views: Array<{ schema: string; name: string }>;
}

export function typeContext(catalog: Catalog): TypeContext {
  const inSchemas = (kinds: string[]) => catalog.relations.filter((r) => kinds.includes(r.kind) && catalog.schemas.includes(r.schema));
  return {
    schemas: new Set(catalog.schemas),
    types: catalog.types,
    typesById: new Map(catalog.types.map((t) => [t.id, t])),
    tables: inSchemas(['r', 'p']),
    views: inSchemas(['v']),
  };
}

const ref = (schema: string, section: string, name: string) => `Database[${JSON.stringify(schema)}][${JSON.stringify(section)}][${JSON.stringify(name)}]`;

/** Objects named `name` of the current schema first, then of any schema. */
function pick<T extends { schema: string }>(candidates: T[], schema: string): T | undefined {
  return candidates.find((c) => c.schema === schema) ?? candidates[0];
}

/** The TypeScript type of the Postgres type named `name` (pg_type.typname), seen from `schema`. */
export function tsType(schema: string, name: string, ctx: TypeContext): string {
  if (name === 'bool') return 'boolean';
  if (NUMBER.has(name)) return 'number';
  if (STRING.has(name)) return 'string';
  if (name === 'json' || name === 'jsonb') return 'Json';
  if (name === 'void') return 'undefined';
  if (name === 'record') return 'Record<string, unknown>';
  if (name.startsWith('_')) return `(${tsType(schema, name.slice(1), ctx)})[]`;

  const enumType = pick(ctx.types.filter((t) => t.name === name && t.enumValues.length > 0), schema);
  if (enumType) {
    return ctx.schemas.has(enumType.schema) ? ref(enumType.schema, 'Enums', enumType.name) : enumType.enumValues.map((v) => JSON.stringify(v)).join('|');
  }
  const composite = pick(ctx.types.filter((t) => t.name === name && t.attributes.length > 0), schema);
  if (composite) return ctx.schemas.has(composite.schema) ? ref(composite.schema, 'CompositeTypes', composite.name) : 'unknown';
  const table = pick(ctx.tables.filter((t) => t.name === name), schema);
  if (table) return `${ref(table.schema, 'Tables', table.name)}["Row"]`;
  const view = pick(ctx.views.filter((v) => v.name === name), schema);
  if (view) return `${ref(view.schema, 'Views', view.name)}["Row"]`;
  return 'unknown';
}

export function tsTypeOfId(schema: string, typeId: number, ctx: TypeContext): string {
  const type = ctx.typesById.get(typeId);
  return type ? tsType(schema, type.name, ctx) : 'unknown';
}

/** `T | null`, except for unknown (which already holds null). */
export const orNull = (type: string, nullable: boolean) => (nullable && type !== 'unknown' && type !== 'any' ? `${type} | null` : type);
