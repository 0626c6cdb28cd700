// What the generator knows about a database: relations, columns, types, functions and foreign
// keys of the generated schemas, read in one read-only snapshot.
import pg from 'pg';
import { COLUMNS_SQL, FOREIGN_KEYS_SQL, FUNCTIONS_SQL, RELATIONS_SQL, SCHEMAS_SQL, TYPES_SQL, VIEW_TREES_SQL } from './catalog-queries.ts';

export type RelationKind = 'r' | 'p' | 'f' | 'v' | 'm';

export interface Relation {
  id: number;
  schema: string;
  name: string;
  kind: RelationKind;
  /** For views: auto-updatable (insert and update), so they get Insert and Update types. */
  updatable: boolean;
}

export interface Column {
  relationId: number;
  position: number;
  name: string;
  /** pg_type.typname (a domain's base type), e.g. `int4`, `_text`, `my_enum`. */
  typeName: string;
  nullable: boolean;
  hasDefault: boolean;
  isIdentity: boolean;
  identityAlways: boolean;
  updatable: boolean;
}

export interface PgType {
  id: number;
  name: string;
  schema: string;
  /** format_type(): the name as the search path shows it (schema-qualified when not visible). */
  format: string;
  enumValues: string[];
  attributes: Array<{ name: string; typeId: number }>;
  /** The relation whose row type this is (composite types included). */
  relationId: number | null;
}

export type ArgMode = 'in' | 'out' | 'inout' | 'variadic' | 'table';

export interface FunctionArg {
  mode: ArgMode;
  name: string;
  typeId: number;
  hasDefault: boolean;
}

export interface PgFunction {
  id: number;
  schema: string;
  name: string;
  args: FunctionArg[];
  /** pg_get_function_arguments(): a single unnamed argument of a row type reads as that type's name. */
  argumentTypes: string;
  returnType: string;
  returnTypeId: number;
  returnTypeRelationId: number | null;
  returnsSet: boolean;
  /** The ROWS estimate of a set-returning function. */
  rows: number | null;
}

export interface ForeignKey {
  name: string;
  schema: string;
  relationId: number;
  relation: string;
  referencedSchema: string;
  referencedRelationId: number;
  referencedRelation: string;
  columns: string[];
  positions: number[];
  referencedColumns: string[];
  referencedPositions: number[];
  oneToOne: boolean;
}

export interface Catalog {
  schemas: string[];
  relations: Relation[];
  columns: Column[];
  types: PgType[];
  functions: PgFunction[];
  foreignKeys: ForeignKey[];
  viewTrees: Array<{ id: number; tree: string }>;
}

/** Catalog ids (oids) come back as int8: read them as numbers (they fit). */
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)),
};

/**
 * Reads the catalog for `schemas` in one repeatable-read, read-only transaction, with the search
 * path Supabase databases have, so type names format as the CLI's generator sees them.
 */
export async function readCatalog(client: pg.ClientBase, schemas: string[]): Promise<Catalog> {
  const rows = async <T extends pg.QueryResultRow>(text: string, values: unknown[]) => (await client.query<T>({ text, values, types })).rows;
  await client.query('begin isolation level repeatable read read only');
  try {
    await client.query(`set local search_path to "$user", public, extensions`);
    const existing = new Set((await rows<{ name: string }>(SCHEMAS_SQL, [schemas])).map((r) => r.name));
    const catalog: Catalog = {
      schemas: schemas.filter((s) => existing.has(s)),
      relations: await rows<Relation>(RELATIONS_SQL, [schemas]),
      columns: await rows<Column>(COLUMNS_SQL, [schemas]),
      types: await rows<PgType>(TYPES_SQL, []),
      functions: await rows<PgFunction>(FUNCTIONS_SQL, [schemas]),
      foreignKeys: await rows<ForeignKey>(FOREIGN_KEYS_SQL, []),
      viewTrees: await rows<{ id: number; tree: string }>(VIEW_TREES_SQL, []),
    };
    await client.query('commit');
    return catalog;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}
