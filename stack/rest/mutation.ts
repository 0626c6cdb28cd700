// POST (insert, upsert), PUT (single upsert), PATCH (update) and DELETE on a table or view
// (PostgREST's MutatePlan and QueryBuilder.mutatePlanToQuery), with the read of the affected rows.
import type { ApiResponse } from '../service.ts';
import type { RestRequest } from './api-request.ts';
import { bodySql, cappedResponse, readQuery, RESPONSE_COLUMNS, RESPONSE_GUCS } from './build-select.ts';
import type { Env } from './env.ts';
import { errors, RestError } from './errors.ts';
import { jsonBodySql, type BodyColumn } from './json-body.ts';
import { negotiatePlan, type Output } from './media.ts';
import { explain, planResponse } from './plan.ts';
import { preferenceApplied } from './preferences.ts';
import { filterSql, orderSql, planRead, returningColumns, type ReadNode, type ReadPlanContext } from './read-plan.ts';
import { contentRange, profileHeaders, withGucOverrides } from './response.ts';
import { readableColumns, type Table } from './schema-cache.ts';
import { compactParams, ident, limitOffsetSql, Params, qualified } from './sql.ts';
import { execute, type StatementRow } from './statement.ts';
import type { DbWork } from './transaction.ts';
import type { LogicTree } from './types.ts';

const INSERTED_PLUS = `set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) + 1)::text, true) <> '0'`;
const INSERTED_MINUS = `set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) - 1)::text, true) <> '-1'`;

interface MutationParts {
  req: RestRequest;
  env: Env;
  table: Table;
  params: Params;
  ctx: ReadPlanContext;
  read: ReadNode;
  returning: string[];
  columns: BodyColumn[];
}

/** A node standing for the table itself, to resolve the mutation's own filters and order against it. */
function tableNode(table: Table, ref: string): ReadNode {
  return {
    source: { from: ref, ref, name: table.name, columns: new Map([...table.columns.values()].map((c) => [c.name, c.type])), relation: table.name },
    depth: 0, items: [], fields: [], filters: [], logic: [], order: [], range: { lower: 0, upper: Infinity }, where: [], orderSql: [], limitSql: '', children: [], hoisted: new Map(),
  };
}

function conditionsSql(parts: MutationParts, node: ReadNode): string[] {
  const { req, ctx } = parts;
  const logic = (tree: LogicTree): string =>
    tree.kind === 'filter'
      ? filterSql(ctx, node, tree.filter)
      : `${tree.negated ? 'NOT ' : ''}(${tree.children.map(logic).join(tree.op === 'and' ? ' AND ' : ' OR ')})`;
  return [
    ...req.query.logic.filter((l) => l.path.length === 0).map((l) => logic(l.tree)),
    ...req.query.filters.filter((f) => f.path.length === 0).map((f) => filterSql(ctx, node, f.filter)),
  ];
}

function returningSql(parts: MutationParts, ref: string): string {
  if (parts.returning.length === 0) return 'RETURNING 1';
  return 'RETURNING ' + parts.returning.map((c) => (c === '*' ? `${ref}.*` : `${ref}.${ident(c)}`)).join(', ');
}

function bodyOf(parts: MutationParts, withSelect: boolean, limitOne: boolean, applyDefaults: boolean): string {
  const payload = parts.req.payload;
  if (payload?.kind !== 'json') throw errors.invalidBody('Empty or invalid json');
  return jsonBodySql({ params: parts.params, body: payload.raw, isObject: payload.isObject, columns: parts.columns, withSelect, limitOne, applyDefaults });
}

function conflictColumns(parts: MutationParts): string[] {
  const cols = parts.req.query.onConflict ?? parts.table.pk;
  for (const c of cols) if (!parts.table.columns.has(c)) throw new RestError(400, { code: '42703', message: `column "${c}" does not exist`, details: null, hint: null });
  return cols;
}

function insertSql(parts: MutationParts, putConditions: string[] | undefined): string {
  const { req, table } = parts;
  const ref = qualified(table.schema, table.name);
  const resolution = putConditions ? 'merge-duplicates' : req.prefs.resolution;
  const conflict = resolution ? (putConditions ? table.pk : conflictColumns(parts)) : [];
  const names = parts.columns.map((c) => ident(c.name)).join(', ');
  const merge = resolution === 'merge-duplicates';
  const where = putConditions ? [INSERTED_PLUS, ...putConditions] : merge ? [INSERTED_PLUS] : [];
  let onConflict = '';
  if (resolution && conflict.length > 0) {
    onConflict = ` ON CONFLICT(${conflict.map(ident).join(', ')}) `;
    if (resolution === 'ignore-duplicates' || parts.columns.length === 0) onConflict += 'DO NOTHING';
    else onConflict += `DO UPDATE SET ${parts.columns.map((c) => `${ident(c.name)} = EXCLUDED.${ident(c.name)}`).join(', ')} WHERE ${INSERTED_MINUS}`;
  }
  return (
    `INSERT INTO ${ref}${parts.columns.length ? `(${names}) ` : ' '}` +
    bodyOf(parts, true, false, !putConditions && req.prefs.missing === 'default') +
    (where.length ? `WHERE ${where.join(' AND ')}` : '') +
    onConflict +
    ' ' +
    returningSql(parts, ref)
  );
}

function rangeIdentity(parts: MutationParts, ref: string): { where: string; cols: string; order: string } {
  const order = parts.req.query.order.find((o) => o.path.length === 0)?.terms ?? [];
  const node = tableNode(parts.table, ref);
  const orderTerms = order.map((t) => orderSql(parts.ctx, node, t));
  const names = order.map((t) => t.field.name);
  return {
    where: names.map((n) => `${ref}.${ident(n)} = "pgrst_affected_rows".${ident(n)}`).join(' AND '),
    cols: names.map((n) => `${ref}.${ident(n)}`).join(', '),
    order: orderTerms.length ? ` ORDER BY ${orderTerms.join(', ')}` : '',
  };
}

function isLimited(req: RestRequest): boolean {
  return req.topRange.lower !== 0 || req.topRange.upper !== Infinity;
}

function updateSql(parts: MutationParts): string {
  const { req, table } = parts;
  const ref = qualified(table.schema, table.name);
  if (parts.columns.length === 0) {
    const cols = parts.returning.length === 0 ? 'NULL' : parts.returning.map((c) => (c === '*' ? `${ident(table.name)}.*` : `${ident(table.name)}.${ident(c)}`)).join(', ');
    return `SELECT ${cols} FROM ${ref} WHERE false`;
  }
  const conditions = conditionsSql(parts, tableNode(table, ref));
  const whereLogic = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const applyDefaults = req.prefs.missing === 'default';
  if (!isLimited(req)) {
    if (!conditions.length) throw errors.safeUpdate('UPDATE');
    const sets = parts.columns.map((c) => `${ident(c.name)} = "pgrst_body".${ident(c.name)}`).join(', ');
    return `UPDATE ${ref} SET ${sets} ${bodyOf(parts, false, false, applyDefaults)}${whereLogic} ${returningSql(parts, ref)}`;
  }
  const range = rangeIdentity(parts, ref);
  const sets = parts.columns.map((c) => `${ident(c.name)} = (SELECT ${ident(c.name)} FROM pgrst_update_body) `).join(', ');
  return (
    `WITH pgrst_update_body AS (${bodyOf(parts, true, true, applyDefaults)}), ` +
    `pgrst_affected_rows AS (SELECT ${range.cols} FROM ${ref}${whereLogic}${range.order}${limitOffsetSql(req.topRange, parts.params)}) ` +
    `UPDATE ${ref} SET ${sets}FROM pgrst_affected_rows WHERE ${range.where} ${returningSql(parts, ref)}`
  );
}

function deleteSql(parts: MutationParts): string {
  const { req, table } = parts;
  const ref = qualified(table.schema, table.name);
  const conditions = conditionsSql(parts, tableNode(table, ref));
  const whereLogic = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  if (!isLimited(req)) {
    if (!conditions.length) throw errors.safeUpdate('DELETE');
    return `DELETE FROM ${ref}${whereLogic} ${returningSql(parts, ref)}`;
  }
  const range = rangeIdentity(parts, ref);
  return (
    `WITH pgrst_affected_rows AS (SELECT ${range.cols} FROM ${ref}${whereLogic}${range.order}${limitOffsetSql(req.topRange, parts.params)}) ` +
    `DELETE FROM ${ref} USING pgrst_affected_rows WHERE ${range.where} ${returningSql(parts, ref)}`
  );
}

/** PUT needs exactly the primary key in `eq` filters; its values must match the payload's. */
function putConditions(parts: MutationParts): string[] {
  const { req, table } = parts;
  const rootFilters = req.query.filters.filter((f) => f.path.length === 0);
  const fields = new Set(req.query.filterFields);
  const pk = new Set(table.pk);
  const ok =
    req.query.logic.length === 0 &&
    pk.size > 0 &&
    fields.size === pk.size &&
    [...fields].every((f) => pk.has(f)) &&
    rootFilters.every((f) => !f.filter.expr.negated && f.filter.expr.operation.kind === 'quant' && f.filter.expr.operation.op === 'eq' && !f.filter.expr.operation.quantifier);
  if (!ok) throw errors.putFilters();
  const body = tableNode(table, '"pgrst_body"');
  return rootFilters.map((f) => filterSql(parts.ctx, body, f.filter));
}

function locationSql(params: Params, pk: string[]): string {
  const keys = params.add(`{${pk.map((k) => `"${k.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`);
  return (
    `CASE WHEN pg_catalog.count(_postgrest_t) = 1 THEN coalesce((WITH data AS (SELECT row_to_json(_) AS row FROM pgrst_source AS _ LIMIT 1) ` +
    `SELECT array_agg(json_data.key || '=' || coalesce('eq.' || json_data.value, 'is.null')) FROM data CROSS JOIN json_each_text(data.row) AS json_data ` +
    `WHERE json_data.key = ANY (${keys}::text[])), array[]::text[]) ELSE array[]::text[] END`
  );
}

function statementSql(parts: MutationParts, mutation: string, output: Output, location: boolean, countInserted: boolean): string {
  const { req, params } = parts;
  const full = req.prefs.representation === 'representation';
  const select = full ? readQuery(parts.read) : 'SELECT * FROM pgrst_source';
  return (
    `WITH pgrst_source AS (${mutation})` +
    cappedResponse(
      `SELECT '' AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ` +
        `${location ? locationSql(params, parts.table.pk) : 'array[]::text[]'} AS header, ${bodySql(full ? output : 'none')} AS pgrst_body, ${RESPONSE_GUCS}, ` +
        `${countInserted ? `nullif(current_setting('pgrst.inserted', true),'')` : `''`} AS response_inserted FROM (${select}) _postgrest_t`,
      [...RESPONSE_COLUMNS, 'header', 'response_inserted'],
    )
  );
}

export function planMutation(req: RestRequest, env: Env): DbWork {
  if (req.action.kind !== 'mutate') throw new Error('not a mutation');
  const { relation, mutation } = req.action;
  const table = env.cache.table(req.schema, relation);
  if (!table) {
    if (mutation !== 'delete' && req.columns.length > 0) throw errors.notFound();
    throw errors.undefinedTable(req.schema, relation);
  }
  const params = new Params();
  const ctx: ReadPlanContext = {
    cache: env.cache, schema: req.schema, params, casts: env.casts, applyRanges: false, maxRows: env.config.maxRows,
    topRange: req.topRange, rootFiltersInRead: false, aggregates: env.config.aggregates,
  };
  const columns = readableColumns(table);
  const read = planRead(ctx, { from: `"pgrst_source" AS ${ident(table.name)}`, ref: ident(table.name), name: table.name, columns, relation: table.name }, req.query);
  const bodyColumns = req.columns.map((name): BodyColumn => {
    const column = table.columns.get(name);
    if (!column) throw errors.columnNotFound(table.name, name);
    return { name, type: column.type, default: column.default };
  });
  if (req.prefs.handling === 'strict' && req.prefs.invalid.length > 0) throw errors.invalidPreferences(req.prefs.invalid);
  const { output, plan } = negotiatePlan(req.accept, env.config.planEnabled);
  const representation = req.prefs.representation;
  const returning = representation === undefined || representation === 'minimal' ? [] : returningColumns(read, table.pk);
  const parts: MutationParts = { req, env, table, params, ctx, read, returning, columns: bodyColumns };

  let sql: string;
  let countInserted = false;
  let location = false;
  switch (mutation) {
    case 'create':
      sql = insertSql(parts, undefined);
      countInserted = req.prefs.resolution === 'merge-duplicates';
      location = representation === 'headers-only' && table.pk.length > 0;
      break;
    case 'upsert':
      sql = insertSql(parts, putConditions(parts));
      countInserted = true;
      break;
    case 'update':
      sql = updateSql(parts);
      break;
    case 'delete':
      sql = deleteSql(parts);
      break;
  }
  const statement = compactParams(statementSql(parts, sql, output, location, countInserted), params.values);

  return {
    readOnly: false,
    run: async (client) => {
      if (plan) {
        const body = await explain(client, plan, statement);
        return { rollback: req.prefs.transaction === 'rollback', respond: () => planResponse(req, plan, body) };
      }
      const row = await execute(client, statement);
      checkAffected(req, output, row);
      return { rollback: req.prefs.transaction === 'rollback', respond: () => mutationResponse(req, table, output, row) };
    },
  };
}

function checkAffected(req: RestRequest, output: Output, row: StatementRow): void {
  const mutation = req.action.kind === 'mutate' ? req.action.mutation : 'create';
  if (mutation === 'upsert') {
    if (row.pageTotal !== 1) throw errors.putMatchingPk();
    return;
  }
  if (output.kind === 'single' && row.pageTotal !== 1) throw errors.singular(row.pageTotal);
  if (mutation === 'create') return;
  if (req.prefs.handling === 'strict' && req.prefs.maxAffected !== undefined && row.pageTotal > req.prefs.maxAffected) throw errors.maxAffected(row.pageTotal);
  if (isLimited(req)) {
    const limit = req.topRange.upper - req.topRange.lower + 1;
    if (row.pageTotal > limit) throw errors.offLimitsChanges(row.pageTotal, limit);
  }
}

function mutationResponse(req: RestRequest, table: Table, output: Output, row: StatementRow): ApiResponse {
  const { prefs } = req;
  const mutation = req.action.kind === 'mutate' ? req.action.mutation : 'create';
  const full = prefs.representation === 'representation';
  const counted = prefs.count === 'exact' || prefs.count === 'estimated' ? row.pageTotal : undefined;
  const body = full ? row.body : '';
  const contentHeaders = full ? { 'content-type': output.contentType, ...profileHeaders(req.schema, req.negotiatedByProfile) } : {};
  const common = { count: prefs.count, transaction: prefs.transaction, handling: prefs.handling, timezone: prefs.timezone };
  let status: number;
  const headers: Record<string, string> = {};
  let applied: string | undefined;
  switch (mutation) {
    case 'create': {
      const resolution = table.pk.length > 0 || req.query.onConflict !== undefined ? prefs.resolution : undefined;
      applied = preferenceApplied({ ...common, resolution, representation: prefs.representation, missing: prefs.missing });
      if (row.location.length > 0) headers.Location = `/${encodeURIComponent(table.name)}?${row.location.map(locationPair).join('&')}`;
      headers['Content-Range'] = contentRange(1, 0, counted);
      status = prefs.resolution === 'merge-duplicates' ? (row.inserted !== undefined && row.inserted > 0 ? 201 : 200) : 201;
      break;
    }
    case 'upsert':
      applied = preferenceApplied({ ...common, representation: prefs.representation });
      status = full ? (row.inserted !== undefined && row.inserted > 0 ? 201 : 200) : 204;
      break;
    case 'update':
      applied = preferenceApplied({ ...common, representation: prefs.representation, missing: prefs.missing, maxAffected: prefs.maxAffected });
      headers['Content-Range'] = contentRange(0, row.pageTotal - 1, counted);
      status = full ? 200 : 204;
      break;
    case 'delete':
      applied = preferenceApplied({ ...common, representation: prefs.representation, maxAffected: prefs.maxAffected });
      headers['Content-Range'] = contentRange(1, 0, counted);
      status = full ? 200 : 204;
      break;
  }
  if (applied) headers['Preference-Applied'] = applied;
  return withGucOverrides({ status, headers: { ...headers, ...contentHeaders }, ...(full && { body }) }, row.gucHeaders, row.gucStatus);
}

/** `id=eq.5` from the statement, URL-encoded as PostgREST's renderSimpleQuery does. */
function locationPair(kv: string): string {
  const eq = kv.indexOf('=');
  return `${encodeURIComponent(kv.slice(0, eq))}=${encodeURIComponent(kv.slice(eq + 1))}`;
}
