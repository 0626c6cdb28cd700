// PostgREST's schema cache: relations, columns, primary keys, relationships (many-to-one, one-to-one,
// one-to-many, many-to-many through a junction table) and functions of the exposed schemas.
import type pg from 'pg';
import { COMPUTED_FIELDS_SQL, FOREIGN_KEYS_SQL, FUNCTIONS_SQL, RELATION_COLUMNS_SQL, ROW_TYPES_SQL, TABLES_SQL, TIMEZONES_SQL, VIEWS_SQL } from './catalog-queries.ts';
import { key, type QualifiedName } from './qualified-name.ts';
import { buildRelationships, type ForeignKeyRow, type RelationColumnsRow, type ViewRow } from './relationship-graph.ts';

export type { QualifiedName } from './qualified-name.ts';

export interface Column {
  name: string;
  /** The type as `format_type` writes it, schema-qualified when outside pg_catalog (used in json_to_recordset). */
  type: string;
  nullable: boolean;
  /** The default expression, schema-qualified. */
  default: string | null;
  generated: boolean;
}

export interface Table extends QualifiedName {
  isView: boolean;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  pk: string[];
  columns: Map<string, Column>;
  /** Computed fields: name → return type. */
  computed: Map<string, string>;
}

/** What a read may reference on a table: its columns and its computed fields, with their types. */
export function readableColumns(table: Table): Map<string, string> {
  const out = new Map([...table.columns.values()].map((c) => [c.name, c.type]));
  for (const [name, type] of table.computed) if (!out.has(name)) out.set(name, type);
  return out;
}

export interface Junction {
  table: QualifiedName;
  constraint1: string;
  constraint2: string;
  /** (column of the origin table, junction column) pairs. */
  sourceColumns: Array<[string, string]>;
  /** (column of the target table, junction column) pairs. */
  targetColumns: Array<[string, string]>;
}

export type Cardinality = 'm2o' | 'o2m' | 'o2o' | 'm2m';

export interface Relationship {
  table: QualifiedName;
  foreignTable: QualifiedName;
  isSelf: boolean;
  cardinality: Cardinality;
  /** The FK constraint name (for m2m, the junction's first constraint). */
  constraint: string;
  /** (column of `table`, column of `foreignTable`) pairs; empty for m2m. */
  columns: Array<[string, string]>;
  junction?: Junction;
  foreignTableIsView: boolean;
  /** The referenced side of a one-to-one (PostgREST's `O2O _ _ True`): `table` is the one the foreign key points to. */
  parent?: true;
}

export const isToOne = (rel: Relationship) => rel.cardinality === 'm2o' || rel.cardinality === 'o2o';

export interface RoutineParam {
  name: string;
  type: string;
  /** The type used to read the argument from JSON (char/bit widened as PostgREST does). */
  recordType: string;
  required: boolean;
  variadic: boolean;
}

export interface Routine extends QualifiedName {
  params: RoutineParam[];
  outParams: Array<{ name: string; type: string }>;
  returnSchema: string;
  returnName: string;
  returnsVoid: boolean;
  returnsSet: boolean;
  returnsComposite: boolean;
  returnsCompositeAlias: boolean;
  /** 'r', 'v', ... when the return type is a relation's row type; 'c' for a plain composite type. */
  returnRelkind: string | null;
  volatility: 'i' | 's' | 'v';
  isolationLevel: string | null;
  /** `set statement_timeout = ...` on the function, applied to the whole transaction (PostgREST's db-hoisted-tx-settings). */
  hoistedSettings: Array<[string, string]>;
}

export const returnsScalar = (r: Routine) => !r.returnsComposite && !r.returnsSet;
export const returnsSetOfScalar = (r: Routine) => !r.returnsComposite && r.returnsSet;
export const returnsSingleComposite = (r: Routine) => r.returnsComposite && !r.returnsSet;


export class SchemaCache {
  constructor(
    readonly schemas: string[],
    readonly tables: Map<string, Table>,
    readonly relationships: Map<string, Relationship[]>,
    readonly routines: Map<string, Routine[]>,
    readonly rowTypes: Map<string, Array<{ name: string; type: string }>>,
    readonly timezones: Set<string>,
  ) {}

  table(schema: string, name: string): Table | undefined {
    return this.tables.get(key(schema, name));
  }

  /** Relationships whose origin is `schema.table` and whose target is in the same schema, as PostgREST searches them. */
  relationshipsFrom(schema: string, table: string): Relationship[] {
    return this.relationships.get(key(schema, table)) ?? [];
  }

  routinesNamed(schema: string, name: string): Routine[] {
    return this.routines.get(key(schema, name)) ?? [];
  }

  routineNames(schema: string): string[] {
    return [...this.routines.values()].flat().filter((r) => r.schema === schema).map((r) => r.name);
  }

  tableNames(schema: string): string[] {
    return [...this.tables.values()].filter((t) => t.schema === schema).map((t) => t.name);
  }

  rowType(schema: string, name: string) {
    return this.rowTypes.get(key(schema, name));
  }
}

interface TableRow {
  schema: string;
  name: string;
  is_view: boolean;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  pk: string[];
  columns: Column[];
}

interface FunctionRow {
  schema: string;
  name: string;
  params: RoutineParam[];
  out_params: Array<{ name: string; type: string }>;
  return_schema: string;
  return_name: string;
  returns_void: boolean;
  returns_set: boolean;
  returns_composite: boolean;
  returns_composite_alias: boolean;
  return_relkind: string | null;
  volatility: 'i' | 's' | 'v';
  isolation_level: string | null;
  hoisted_settings: Array<[string, string]>;
}

/** Besides the exposed schemas, where the request's search_path (Supabase's db-extra-search-path) finds computed fields. */
const COMPUTED_FIELD_SCHEMAS = ['public', 'extensions'];

const UNNAMED_CALLABLE_TYPES = new Set(['bytea', 'json', 'jsonb', 'text', 'xml']);

/** PostgREST only exposes functions whose parameters are all named, or that take one unnamed bytea/json/jsonb/text/xml. */
function isCallable(params: RoutineParam[]): boolean {
  const unnamed = params.filter((p) => p.name === '');
  if (unnamed.length === 0) return true;
  return unnamed.length === 1 && params.length === 1 && UNNAMED_CALLABLE_TYPES.has(params[0]!.type);
}

/** Reads the catalog in one read-only transaction with an empty search_path. */
export async function loadSchemaCache(pool: pg.Pool, schemas: string[]): Promise<SchemaCache> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    await client.query(`set local search_path to ''`);
    const tableRows = (await client.query<TableRow>(TABLES_SQL, [schemas])).rows;
    const fkRows = (await client.query<ForeignKeyRow>(FOREIGN_KEYS_SQL)).rows;
    const viewRows = (await client.query<ViewRow>(VIEWS_SQL)).rows;
    const relationRows = (await client.query<RelationColumnsRow>(RELATION_COLUMNS_SQL)).rows;
    const functionRows = (await client.query<FunctionRow>(FUNCTIONS_SQL, [schemas])).rows;
    const rowTypeRows = (await client.query<{ schema: string; name: string; columns: Array<{ name: string; type: string }> }>(ROW_TYPES_SQL)).rows;
    const timezoneRows = (await client.query<{ name: string }>(TIMEZONES_SQL)).rows;
    const computedRows = (await client.query<{ table_schema: string; table_name: string; name: string; type: string }>(COMPUTED_FIELDS_SQL, [
      [...new Set([...schemas, ...COMPUTED_FIELD_SCHEMAS])],
    ])).rows;
    await client.query('commit');

    const tables = new Map<string, Table>();
    for (const row of tableRows) {
      tables.set(key(row.schema, row.name), {
        schema: row.schema,
        name: row.name,
        isView: row.is_view,
        insertable: row.insertable,
        updatable: row.updatable,
        deletable: row.deletable,
        pk: row.pk,
        columns: new Map(row.columns.map((c) => [c.name, c])),
        computed: new Map(),
      });
    }

    for (const row of computedRows) tables.get(key(row.table_schema, row.table_name))?.computed.set(row.name, row.type);

    const routines = new Map<string, Routine[]>();
    for (const row of functionRows) {
      if (!isCallable(row.params)) continue;
      const routine: Routine = {
        schema: row.schema,
        name: row.name,
        params: row.params,
        outParams: row.out_params,
        returnSchema: row.return_schema,
        returnName: row.return_name,
        returnsVoid: row.returns_void && !row.returns_set,
        returnsSet: row.returns_set,
        returnsComposite: row.returns_composite,
        returnsCompositeAlias: row.returns_composite_alias,
        returnRelkind: row.return_relkind,
        volatility: row.volatility,
        isolationLevel: row.isolation_level,
        hoistedSettings: row.hoisted_settings,
      };
      const k = key(row.schema, row.name);
      routines.set(k, [...(routines.get(k) ?? []), routine].sort((a, b) => a.params.length - b.params.length));
    }

    const rowTypes = new Map(rowTypeRows.map((r) => [key(r.schema, r.name), r.columns]));
    return new SchemaCache(
      schemas,
      tables,
      buildRelationships(tables, fkRows, viewRows, relationRows, schemas),
      routines,
      rowTypes,
      new Set(timezoneRows.map((r) => r.name)),
    );
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
