// What the generator knows about a database: relations, columns, types, functions and foreign
// keys of the generated schemas, read in one read-only snapshot.
import type pg from 'pg';
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

/**
 * Reads the catalog for `schemas` in one repeatable-read, read-only transaction, with the search
 * path Supabase databases have, so type names format as the CLI's generator sees them.
 */
export async function readCatalog(client: pg.ClientBase, schemas: string[]): Promise<Catalog> {
  await client.query('begin isolation level repeatable read read only');
  try {
    await client.query(`set local search_path to "$user", public, extensions`);
    const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = [schemas]) => (await client.query<T>(sql, params)).rows;
    const existing = new Set((await query<{ name: string }>(SCHEMAS_SQL)).map((r) => r.name));
    const relations = (await query<Record<string, unknown>>(RELATIONS_SQL)).map((r) => ({
      id: Number(r.id),
      schema: r.schema as string,
      name: r.name as string,
      kind: r.kind as RelationKind,
      updatable: r.updatable as boolean,
    }));
    const columns = (await query<Record<string, unknown>>(COLUMNS_SQL)).map((r) => ({
      relationId: Number(r.relation_id),
      position: r.position as number,
      name: r.name as string,
      typeName: r.type_name as string,
      nullable: r.nullable as boolean,
      hasDefault: r.has_default as boolean,
      isIdentity: r.is_identity as boolean,
      identityAlways: r.identity_always as boolean,
      updatable: r.updatable as boolean,
    }));
    const types = (await query<Record<string, unknown>>(TYPES_SQL, [])).map((r) => ({
      id: Number(r.id),
      name: r.name as string,
      schema: r.schema as string,
      format: r.format as string,
      enumValues: r.enum_values as string[],
      attributes: r.attributes as PgType['attributes'],
      relationId: r.relation_id === null ? null : Number(r.relation_id),
    }));
    const functions = (await query<Record<string, unknown>>(FUNCTIONS_SQL)).map((r) => ({
      id: Number(r.id),
      schema: r.schema as string,
      name: r.name as string,
      args: r.args as FunctionArg[],
      argumentTypes: r.argument_types as string,
      returnType: r.return_type as string,
      returnTypeId: Number(r.return_type_id),
      returnTypeRelationId: r.return_type_relation_id === null ? null : Number(r.return_type_relation_id),
      returnsSet: r.returns_set as boolean,
      rows: r.rows as number | null,
    }));
    const foreignKeys = (await query<Record<string, unknown>>(FOREIGN_KEYS_SQL, [])).map((r) => ({
      name: r.name as string,
      schema: r.schema as string,
      relationId: Number(r.relation_id),
      relation: r.relation as string,
      referencedSchema: r.referenced_schema as string,
      referencedRelationId: Number(r.referenced_relation_id),
      referencedRelation: r.referenced_relation as string,
      columns: r.columns as string[],
      positions: r.positions as number[],
      referencedColumns: r.referenced_columns as string[],
      referencedPositions: r.referenced_positions as number[],
      oneToOne: r.one_to_one as boolean,
    }));
    const viewTrees = (await query<{ id: string; tree: string }>(VIEW_TREES_SQL, [])).map((r) => ({ id: Number(r.id), tree: r.tree }));
    await client.query('commit');
    return { schemas: schemas.filter((s) => existing.has(s)), relations, columns, types, functions, foreignKeys, viewTrees };
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}
