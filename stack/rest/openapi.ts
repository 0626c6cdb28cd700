// `GET /rest/v1/`: the OpenAPI 2.0 document PostgREST v12 generates (src/PostgREST/Response/OpenAPI.hs)
// in its default `openapi-mode = follow-privileges`: the relations of the schema cache the request's role
// has any privilege on, and the functions it may execute (read at request time, as PostgREST does),
// with descriptions from comments. Keys come in the order hosted Supabase answers them.
import type { ApiResponse } from '../service.ts';
import type { RestRequest } from './api-request.ts';
import type { Env } from './env.ts';
import { errors } from './errors.ts';
import { OPENAPI_FUNCTIONS_SQL, OPENAPI_SCHEMA_SQL, OPENAPI_TABLES_SQL } from './openapi-queries.ts';
import { profileHeaders } from './response.ts';
import type { SchemaCache, Table } from './schema-cache.ts';
import type { DbWork } from './transaction.ts';

/** The PostgREST release whose behaviour the stack follows, as `info.version` reports it. */
export const POSTGREST_VERSION = '12.2.12';

export interface OpenApiColumn {
  name: string;
  description: string | null;
  nullable: boolean;
  /** PostgREST's `data_type`: pg_catalog types without their modifier (`character varying`). */
  type: string;
  maxLength: number | null;
  default: string | null;
  enum: string[] | null;
}

export interface OpenApiTable {
  name: string;
  description: string | null;
  columns: OpenApiColumn[];
}

export interface OpenApiFunction {
  name: string;
  description: string | null;
  params: Array<{ name: string; type: string; required: boolean; variadic: boolean }>;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };
type JsonObject = { [key: string]: Json | undefined };

/** PostgREST's toSwaggerType; undefined (no `type`) for json and jsonb. */
function swaggerType(type: string): string | undefined {
  switch (type) {
    case 'character varying':
    case 'character':
    case 'text':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'numeric':
    case 'real':
    case 'double precision':
      return 'number';
    case 'json':
    case 'jsonb':
      return undefined;
  }
  return type.endsWith('[]') ? 'array' : 'string';
}

const arrayItems = (type: string): JsonObject | undefined => (swaggerType(type) === 'array' ? { type: swaggerType(type.slice(0, -2)) } : undefined);

/** PostgREST's parseDefault: a string column's `'x'::type` becomes "x"; what is not valid JSON then is left out. */
function parseDefault(type: string, expression: string): Json | undefined {
  let text = expression;
  if (swaggerType(type) === 'string') {
    const suffix = `::${type}`;
    text = `"${text.endsWith(suffix) ? text.slice(0, -suffix.length).replace(/^'+|'+$/g, '') : text}"`;
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** First line as summary, the rest (leading newlines dropped) as description, as PostgREST splits comments. */
function splitComment(comment: string | null): { summary?: string; description?: string } {
  if (comment === null) return {};
  const nl = comment.indexOf('\n');
  const summary = nl < 0 ? comment : comment.slice(0, nl);
  const rest = nl < 0 ? '' : comment.slice(nl).replace(/^\n+/, '');
  return { summary, ...(rest !== '' && { description: rest }) };
}

/** Drops undefined values, so optional keys are left out as swagger2's encoder leaves them out. */
function compact(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

function foreignKeyNote(cache: SchemaCache, table: Table, column: string): string | undefined {
  const candidates = cache
    .relationshipsFrom(table.schema, table.name)
    .filter((r) => (r.cardinality === 'm2o' || (r.cardinality === 'o2o' && !r.parent)) && r.columns.length === 1 && r.columns[0]![0] === column)
    .sort((a, b) => Number(a.foreignTableIsView) - Number(b.foreignTableIsView));
  const rel = candidates[0];
  if (!rel) return undefined;
  const [ftable, fcol] = [rel.foreignTable.name, rel.columns[0]![1]];
  return `This is a Foreign Key to \`${ftable}.${fcol}\`.<fk table='${ftable}' column='${fcol}'/>`;
}

function property(cache: SchemaCache, table: Table, column: OpenApiColumn): JsonObject {
  const notes = ['Note:', ...(table.pk.includes(column.name) ? ['This is a Primary Key.<pk/>'] : []), foreignKeyNote(cache, table, column.name)].filter(
    (n): n is string => n !== undefined,
  );
  const description = notes.length > 1 ? (column.description === null ? '' : `${column.description}\n\n`) + notes.join('\n') : column.description;
  return compact({
    default: column.default === null ? undefined : parseDefault(column.type, column.default),
    description: description ?? undefined,
    enum: column.enum && column.enum.length > 0 ? column.enum : undefined,
    format: column.type,
    items: arrayItems(column.type),
    maxLength: column.maxLength ?? undefined,
    type: swaggerType(column.type),
  });
}

function definition(cache: SchemaCache, table: Table, source: OpenApiTable): JsonObject {
  const required = source.columns.filter((c) => !c.nullable).map((c) => c.name);
  return compact({
    description: source.description ?? undefined,
    required: required.length > 0 ? required : undefined,
    properties: source.columns.length > 0 ? Object.fromEntries(source.columns.map((c) => [c.name, property(cache, table, c)])) : undefined,
    type: 'object',
  });
}

const ref = (name: string) => ({ $ref: `#/parameters/${name}` });

function tablePath(table: Table, source: OpenApiTable): JsonObject {
  const name = table.name;
  const rowFilters = source.columns.map((c) => ref(`rowFilter.${name}.${c.name}`));
  const { summary, description } = splitComment(source.description);
  const operation = (parameters: JsonObject[], responses: JsonObject): JsonObject => compact({ description, parameters, responses, summary, tags: [name] });
  const get = operation([...rowFilters, ...['select', 'order', 'range', 'rangeUnit', 'offset', 'limit', 'preferCount'].map(ref)], {
    200: { description: 'OK', schema: { items: { $ref: `#/definitions/${name}` }, type: 'array' } },
    206: { description: 'Partial Content' },
  });
  if (!(table.insertable || table.updatable || table.deletable)) return { get };
  return {
    get,
    post: operation([ref(`body.${name}`), ref('select'), ref('preferPost')], { 201: { description: 'Created' } }),
    delete: operation([...rowFilters, ref('preferReturn')], { 204: { description: 'No Content' } }),
    patch: operation([...rowFilters, ref(`body.${name}`), ref('preferReturn')], { 204: { description: 'No Content' } }),
  };
}

const RPC_PRODUCES = ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json'];

function functionPath(fn: OpenApiFunction): JsonObject {
  const { summary, description } = splitComment(fn.description);
  const operation = (parameters: JsonObject[]): JsonObject =>
    compact({ description, parameters, produces: RPC_PRODUCES, responses: { 200: { description: 'OK' } }, summary, tags: [`(rpc) ${fn.name}`] });
  const getParams = fn.params.map((p) => {
    const type = swaggerType(p.type);
    const schema = p.variadic
      ? { type: type ?? 'string', items: { type: swaggerType(p.type.replace(/\[\]$/, '')), format: p.type.replace(/\[\]$/, '') }, collectionFormat: 'multi' }
      : { format: p.type, type: type === undefined || type === 'array' ? 'string' : type };
    return compact({ name: p.name, required: p.required, in: 'query', ...schema });
  });
  const required = fn.params.filter((p) => p.required).map((p) => p.name);
  const args = compact({
    description: fn.description ?? undefined,
    required: required.length > 0 ? required : undefined,
    properties: fn.params.length > 0 ? Object.fromEntries(fn.params.map((p) => [p.name, compact({ format: p.type, items: arrayItems(p.type), type: swaggerType(p.type) })])) : undefined,
    type: 'object',
  });
  return { get: operation(getParams), post: operation([{ name: 'args', required: true, in: 'body', schema: args }, ref('preferParams')]) };
}

function preferParam(values: string[]): JsonObject {
  return { name: 'Prefer', description: 'Preference', required: false, enum: values, in: 'header', type: 'string' };
}

const plainParam = (name: string, description: string, location: 'query' | 'header', extra: JsonObject = {}): JsonObject => ({
  name,
  description,
  required: false,
  ...extra,
  in: location,
  type: 'string',
});

const RETURN_VALUES = ['return=representation', 'return=minimal', 'return=none'];

function parameters(tables: Array<[Table, OpenApiTable]>): JsonObject {
  const out: JsonObject = {
    preferParams: preferParam(['params=single-object']),
    preferReturn: preferParam(RETURN_VALUES),
    preferCount: preferParam(['count=none']),
    preferPost: preferParam([...RETURN_VALUES, 'resolution=ignore-duplicates', 'resolution=merge-duplicates']),
    select: plainParam('select', 'Filtering Columns', 'query'),
    on_conflict: plainParam('on_conflict', 'On Conflict', 'query'),
    order: plainParam('order', 'Ordering', 'query'),
    range: plainParam('Range', 'Limiting and Pagination', 'header'),
    rangeUnit: plainParam('Range-Unit', 'Limiting and Pagination', 'header', { default: 'items' }),
    offset: plainParam('offset', 'Limiting and Pagination', 'query'),
    limit: plainParam('limit', 'Limiting and Pagination', 'query'),
  };
  for (const [table, source] of tables) {
    out[`body.${table.name}`] = { name: table.name, description: table.name, required: false, in: 'body', schema: { $ref: `#/definitions/${table.name}` } };
    for (const c of source.columns) {
      out[`rowFilter.${table.name}.${c.name}`] = compact({ name: c.name, description: c.description ?? undefined, required: false, in: 'query', type: 'string' });
    }
  }
  return out;
}

const MEDIA_TYPES = ['application/json', 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json', 'text/csv'];

export function openApiDocument(opts: {
  cache: SchemaCache;
  schema: string;
  host: string;
  schemaDescription: string | null;
  tables: OpenApiTable[];
  functions: OpenApiFunction[];
}): JsonObject {
  const tables: Array<[Table, OpenApiTable]> = opts.tables
    .map((source): [Table | undefined, OpenApiTable] => [opts.cache.table(opts.schema, source.name), source])
    .filter((pair): pair is [Table, OpenApiTable] => pair[0] !== undefined);
  const { summary: title, description } = splitComment(opts.schemaDescription);
  const paths: JsonObject = {
    '/': {
      get: {
        produces: ['application/openapi+json', 'application/json'],
        responses: { 200: { description: 'OK' } },
        summary: 'OpenAPI description (this document)',
        tags: ['Introspection'],
      },
    },
  };
  for (const [table, source] of tables) paths[`/${table.name}`] = tablePath(table, source);
  for (const fn of opts.functions) paths[`/rpc/${fn.name}`] = functionPath(fn);
  return {
    swagger: '2.0',
    info: {
      description: opts.schemaDescription === null ? 'This is a dynamic API generated by PostgREST' : (description ?? ''),
      title: title ?? 'PostgREST API',
      version: POSTGREST_VERSION,
    },
    host: opts.host,
    basePath: '/',
    schemes: ['http'],
    consumes: MEDIA_TYPES,
    produces: MEDIA_TYPES,
    paths,
    definitions: Object.fromEntries(tables.map(([table, source]) => [table.name, definition(opts.cache, table, source)])),
    parameters: parameters(tables),
    externalDocs: { description: 'PostgREST Documentation', url: 'https://postgrest.org/en/v12/references/api.html' },
  };
}

/** `host:port` as PostgREST writes it, from the request's Host header (the stack has no proxy URI setting). */
function hostOf(req: RestRequest): string {
  const host = req.headers.host ?? '127.0.0.1';
  return /:\d+$/.test(host) ? host : `${host}:80`;
}

/** Accept must allow the OpenAPI document, JSON or anything (PostgREST's inspectPlan). */
function checkAccept(accept: string | undefined): void {
  if (accept === undefined) return;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase()).filter((t) => t !== '');
  if (types.length === 0 || types.some((t) => t === 'application/openapi+json' || t === 'application/json' || t === '*/*')) return;
  throw errors.mediaType(types);
}

export function planOpenApi(req: RestRequest, env: Env): DbWork {
  if (req.action.kind !== 'openapi') throw new Error('not the root');
  const { headOnly } = req.action;
  checkAccept(req.accept);
  return {
    readOnly: true,
    run: async (client) => {
      // The first query is issued before any await: the transaction's opening statements are pipelined with it.
      const schemaRow = client.query<{ description: string | null }>(OPENAPI_SCHEMA_SQL, [req.schema]);
      const tableRows = client.query<OpenApiTable>(OPENAPI_TABLES_SQL, [req.schema]);
      const functionRows = client.query<OpenApiFunction>(OPENAPI_FUNCTIONS_SQL, [req.schema]);
      const [schema, tables, functions] = await Promise.all([schemaRow, tableRows, functionRows]);
      const document = openApiDocument({
        cache: env.cache,
        schema: req.schema,
        host: hostOf(req),
        schemaDescription: schema.rows[0]?.description ?? null,
        tables: tables.rows,
        functions: functions.rows,
      });
      const response: ApiResponse = {
        status: 200,
        headers: { 'content-type': 'application/openapi+json; charset=utf-8', ...profileHeaders(req.schema, req.negotiatedByProfile) },
        body: headOnly ? '' : JSON.stringify(document),
      };
      return { rollback: false, respond: () => response };
    },
  };
}
