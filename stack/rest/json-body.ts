// Reading a JSON request body as rows inside SQL (PostgREST's fromJsonBodyF): the body is one json
// parameter expanded with json_to_record(set) into typed columns, optionally with column defaults for
// keys missing in some objects (Prefer: missing=default).
import type { Params } from './sql.ts';
import { ident } from './sql.ts';

export interface BodyColumn {
  name: string;
  /** The SQL type the JSON value is read as (from the catalog). */
  type: string;
  /** Default expression (from the catalog), used with missing=default. */
  default?: string | null;
}

export function jsonBodySql(opts: {
  params: Params;
  body: string;
  isObject: boolean;
  columns: BodyColumn[];
  /** Prefix `SELECT "pgrst_body"."col", ...`, for INSERT ... SELECT. */
  withSelect: boolean;
  limitOne: boolean;
  applyDefaults: boolean;
}): string {
  const { params, columns, isObject, applyDefaults } = opts;
  const payload = params.add(opts.body);
  const named = columns.map((c) => `"pgrst_body".${ident(c.name)}`).join(', ');
  const defaults = columns.filter((c) => c.default != null);
  const defaultsObject = `jsonb_build_object(${defaults.map((c) => `${params.add(c.name)}::text, ${c.default}`).join(', ')})`;
  const source = applyDefaults ? 'pgrst_json_defs.val' : 'pgrst_payload.json_data';
  const toRecord = `${applyDefaults ? 'jsonb' : 'json'}_to_record${isObject ? '' : 'set'}`;
  const rows =
    columns.length === 0
      ? isObject
        ? '(values(1)) _ '
        : `${applyDefaults ? 'jsonb' : 'json'}_array_elements(${source}) _ `
      : `${toRecord}(${source}) AS _(${columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')}) ${opts.limitOne ? 'LIMIT 1' : ''}`;
  return (
    (opts.withSelect ? `SELECT ${named} ` : '') +
    `FROM (SELECT ${payload}::${applyDefaults ? 'jsonb' : 'json'} AS json_data) pgrst_payload, ` +
    (applyDefaults
      ? isObject
        ? `LATERAL (SELECT ${defaultsObject} || pgrst_payload.json_data AS val) pgrst_json_defs, `
        : `LATERAL (SELECT jsonb_agg(${defaultsObject} || elem) AS val from jsonb_array_elements(pgrst_payload.json_data) elem) pgrst_json_defs, `
      : '') +
    `LATERAL (SELECT ${columns.map((c) => ident(c.name)).join(', ')} FROM ${rows}) pgrst_body `
  );
}
