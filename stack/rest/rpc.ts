// /rpc/<function>: picking the function by its argument names (overloads), calling it with named
// arguments read from JSON, and reading its result like a table (filters, select, order, limit).
import type { ApiResponse } from '../service.ts';
import type { RestRequest } from './api-request.ts';
import { bodySql, cappedResponse, countQuery, readQuery, RESPONSE_COLUMNS, RESPONSE_GUCS } from './build-select.ts';
import type { Env } from './env.ts';
import { errors } from './errors.ts';
import { fuzzyBest } from './fuzzy.ts';
import { jsonBodySql } from './json-body.ts';
import { negotiatePlan, type Output } from './media.ts';
import { explain, planResponse } from './plan.ts';
import { preferenceApplied } from './preferences.ts';
import { planRead, returningColumns, type ReadPlanContext } from './read-plan.ts';
import { errorResponse, profileHeaders, rangeStatus, withGucOverrides } from './response.ts';
import { returnsScalar, returnsSetOfScalar, returnsSingleComposite, type Routine, type SchemaCache } from './schema-cache.ts';
import { compactParams, ident, Params, qualified } from './sql.ts';
import { execute, type StatementRow } from './statement.ts';
import type { DbWork } from './transaction.ts';

const SINGLE_PARAM_TYPES: Record<string, string> = { 'application/json': 'json', 'text/plain': 'text', 'text/xml': 'xml', 'application/octet-stream': 'bytea' };

function matchesArguments(routine: Routine, keys: Set<string>, singleObject: boolean, isPost: boolean, contentType: string): boolean {
  const params = routine.params;
  if (singleObject) return params.length === 1 && (params[0]!.type === 'json' || params[0]!.type === 'jsonb');
  if (params.length === 0) return keys.size === 0 && !(isPost && ['application/octet-stream', 'text/plain', 'text/xml'].includes(contentType));
  const required = params.filter((p) => p.required).map((p) => p.name);
  const optional = new Set(params.filter((p) => !p.required).map((p) => p.name));
  const rest = [...keys].filter((k) => !optional.has(k));
  return rest.length === required.length && required.every((r) => keys.has(r));
}

function hasSingleUnnamedParam(routine: Routine, isPost: boolean, contentType: string): boolean {
  if (!isPost || routine.params.length !== 1) return false;
  const type = routine.params[0]!.type;
  const expected = SINGLE_PARAM_TYPES[contentType];
  return expected === 'json' ? type === 'json' || type === 'jsonb' : expected === type;
}

function noFunctionError(cache: SchemaCache, schema: string, name: string, keys: string[], singleObject: boolean, isPost: boolean, contentType: string, overloads: Routine[]) {
  const fn = `${schema}.${name}`;
  const prms = keys.join(', ');
  const withParams = keys.length === 0 ? ' without parameters' : `(${prms})`;
  const detailParams = keys.length === 0 ? ' without parameters' : ` with parameter${keys.length > 1 ? 's ' : ' '}${prms}`;
  const onlySingle = singleObject || (isPost && ['text/plain', 'text/xml', 'application/octet-stream'].includes(contentType));
  let searched: string;
  if (singleObject) searched = ' with a single json/jsonb parameter';
  else if (isPost && contentType === 'text/plain') searched = ' with a single unnamed text parameter';
  else if (isPost && contentType === 'text/xml') searched = ' with a single unnamed xml parameter';
  else if (isPost && contentType === 'application/octet-stream') searched = ' with a single unnamed bytea parameter';
  else if (isPost && contentType === 'application/json') searched = `${detailParams} or with a single unnamed json/jsonb parameter`;
  else searched = detailParams;
  let hint: string | null = null;
  if (!onlySingle) {
    const listed = (names: string[]) => `(${[...names].sort().join(', ')})`;
    const best =
      overloads.length === 0
        ? fuzzyBest(cache.routineNames(schema), name)
        : ((found) => (found === undefined ? undefined : name + found))(fuzzyBest(overloads.map((o) => listed(o.params.map((p) => p.name))), listed(keys)));
    if (best !== undefined) hint = `Perhaps you meant to call the function ${schema}.${best}`;
  }
  return errors.noFunction(
    `Could not find the function ${fn}${onlySingle ? '' : withParams} in the schema cache`,
    `Searched for the function ${fn}${searched}, but no matches were found in the schema cache.`,
    hint,
  );
}

/** PostgREST's findProc: functions whose parameters match the argument names, else a single unnamed-parameter one. */
function findRoutine(cache: SchemaCache, schema: string, name: string, keys: Set<string>, singleObject: boolean, isPost: boolean, contentType: string): Routine {
  const overloads = cache.routinesNamed(schema, name);
  const matching = overloads.filter((r) => matchesArguments(r, keys, singleObject, isPost, contentType));
  const fallback = overloads.filter((r) => !matchesArguments(r, keys, singleObject, isPost, contentType) && hasSingleUnnamedParam(r, isPost, contentType));
  const candidates = matching.length > 0 ? matching : fallback;
  if (candidates.length === 1) return candidates[0] as Routine;
  if (candidates.length === 0) throw noFunctionError(cache, schema, name, [...keys].sort(), singleObject, isPost, contentType, overloads);
  throw errors.ambiguousFunction(
    `Could not choose the best candidate function between: ${candidates.map((r) => `${r.schema}.${r.name}(${r.params.map((p) => `${p.name} => ${p.type}`).join(', ')})`).join(', ')}`,
  );
}

/** Columns of what the function returns, to check select/filter/order against. */
function resultColumns(cache: SchemaCache, routine: Routine): Map<string, string> {
  if (!routine.returnsComposite) return new Map([['pgrst_scalar', routine.returnName]]);
  const row = cache.rowType(routine.returnSchema, routine.returnName) ?? routine.outParams;
  return new Map(row.map((c) => [c.name, c.type]));
}

/** GET arguments as a JSON object of strings; repeated variadic arguments become an array. */
function queryArguments(routine: Routine, args: Array<[string, string]>): string {
  const variadic = new Set(routine.params.filter((p) => p.variadic).map((p) => p.name));
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of args) {
    if (variadic.has(k)) out[k] = [...((out[k] as string[] | undefined) ?? []), v];
    else out[k] = v;
  }
  return JSON.stringify(out);
}

function callSql(req: RestRequest, routine: Routine, params: Params, returning: string[]): string {
  const fn = qualified(routine.schema, routine.name);
  const scalar = returnsScalar(routine) || returnsSetOfScalar(routine);
  const callIt = (argument: string) => (scalar ? `(SELECT ${fn}(${argument}) pgrst_scalar) pgrst_call` : `${fn}(${argument}) pgrst_call`);
  const columns = scalar ? 'pgrst_call.pgrst_scalar' : returning.length === 0 ? '*' : returning.map((c) => (c === '*' ? '"pgrst_call".*' : `"pgrst_call".${ident(c)}`)).join(', ');
  const only = routine.params.length === 1 ? routine.params[0]! : undefined;
  const payload = req.payload;
  if (only && (req.prefs.params === 'single-object' || only.name === '')) {
    const arg = payload?.kind === 'raw' ? payload.raw : payload?.kind === 'json' ? payload.raw : '{}';
    return `SELECT ${columns} FROM ${callIt(`${params.add(arg)}::${only.type}`)}`;
  }
  const keys = new Set(argumentKeys(req));
  const specified = routine.params.filter((p) => keys.has(p.name));
  if (specified.length === 0) return `SELECT ${columns} FROM ${callIt('')}`;
  const body = req.action.kind === 'rpc' && req.action.invoke !== 'post' ? queryArguments(routine, req.query.rpcArgs) : payload?.kind === 'json' ? payload.raw : '{}';
  const isObject = req.action.kind === 'rpc' && req.action.invoke !== 'post' ? true : payload?.kind === 'json' ? payload.isObject : true;
  const from = jsonBodySql({
    params, body, isObject, withSelect: false, limitOne: true, applyDefaults: false,
    columns: specified.map((p) => ({ name: p.name, type: p.recordType })),
  });
  const named = specified.map((p) => `${p.variadic ? 'VARIADIC ' : ''}${ident(p.name)} := pgrst_body.${ident(p.name)}`).join(', ');
  return `SELECT ${columns} ${from}, LATERAL ${callIt(named)}`;
}

function argumentKeys(req: RestRequest): string[] {
  return req.action.kind === 'rpc' && req.action.invoke !== 'post' ? req.query.rpcArgs.map(([k]) => k) : req.columns;
}

function bodyFor(routine: Routine, output: Output | 'none'): string {
  if (output === 'none' || output.kind === 'csv') return bodySql(output);
  // As PostgREST: a single-object response unwraps only a (non-set) scalar result.
  const scalar = output.kind === 'single' ? returnsScalar(routine) : returnsScalar(routine) || returnsSetOfScalar(routine);
  const column = scalar ? '_postgrest_t.pgrst_scalar' : '_postgrest_t';
  const strip = output.kind === 'json-stripped' || (output.kind === 'single' && output.stripNulls);
  const agg = strip ? `json_strip_nulls(json_agg(${column}))` : `json_agg(${column})`;
  if (output.kind === 'single' || returnsSingleComposite(routine) || returnsScalar(routine)) return `coalesce(${agg}->0, 'null')::text`;
  return `coalesce(${agg}, '[]')::text`;
}

export function planRpc(req: RestRequest, env: Env): DbWork {
  if (req.action.kind !== 'rpc') throw new Error('not an rpc');
  const { name, invoke } = req.action;
  const isPost = invoke === 'post';
  const keys = new Set(argumentKeys(req));
  const routine = findRoutine(env.cache, req.schema, name, keys, req.prefs.params === 'single-object', isPost, req.contentType);
  const relation = routine.returnsComposite ? routine.returnName : routine.name;
  const params = new Params();
  const ctx: ReadPlanContext = {
    cache: env.cache, schema: req.schema, params, casts: env.casts, applyRanges: true, maxRows: env.config.maxRows,
    topRange: req.topRange, rootFiltersInRead: true, aggregates: env.config.aggregates,
  };
  const columns = resultColumns(env.cache, routine);
  const read = planRead(ctx, { from: `"pgrst_source" AS ${ident(relation)}`, ref: ident(relation), name: relation, columns, relation }, req.query);
  const { output, plan } = negotiatePlan(req.accept, env.config.planEnabled);
  if (req.prefs.handling === 'strict' && req.prefs.invalid.length > 0) throw errors.invalidPreferences(req.prefs.invalid);

  const call = callSql(req, routine, params, returningColumns(read, []));
  const count = req.prefs.count;
  const withCount = count === 'exact' || count === 'estimated';
  const single = returnsScalar(routine) || returnsSingleComposite(routine);
  const text =
    `WITH pgrst_source AS (${call})` +
    // As PostgREST's prepareCall: estimated counts exactly (no planner estimate for functions), planned not at all.
    (withCount ? `, pgrst_source_count AS (${countQuery(read)})` : '') +
    cappedResponse(
      `SELECT ${withCount ? '(SELECT pg_catalog.count(*) FROM pgrst_source_count)' : 'null::bigint'} AS total_result_set, ` +
        `${single ? '1' : 'pg_catalog.count(_postgrest_t)'} AS page_total, ${bodyFor(routine, invoke === 'head' ? 'none' : output)} AS pgrst_body, ${RESPONSE_GUCS} ` +
        `FROM (${readQuery(read)}) _postgrest_t`,
      RESPONSE_COLUMNS,
    );
  const statement = compactParams(text, params.values);

  return {
    readOnly: !isPost || routine.volatility !== 'v',
    isolation: routine.isolationLevel,
    settings: routine.hoistedSettings,
    run: async (client) => {
      if (plan) {
        const body = await explain(client, plan, statement);
        return { rollback: req.prefs.transaction === 'rollback', respond: () => planResponse(req, plan, body) };
      }
      const row = await execute(client, statement);
      if (output.kind === 'single' && row.pageTotal !== 1) throw errors.singular(row.pageTotal);
      if (req.prefs.handling === 'strict' && req.prefs.maxAffected !== undefined && row.pageTotal > req.prefs.maxAffected) throw errors.maxAffected(row.pageTotal);
      return { rollback: req.prefs.transaction === 'rollback', respond: () => rpcResponse(req, routine, output, row) };
    },
  };
}

function rpcResponse(req: RestRequest, routine: Routine, output: Output, row: StatementRow): ApiResponse {
  const { status, contentRange } = rangeStatus(req.topRange, row.pageTotal, row.tableTotal);
  const { prefs } = req;
  const applied = preferenceApplied({
    params: prefs.params, count: prefs.count, transaction: prefs.transaction, handling: prefs.handling, timezone: prefs.timezone, maxAffected: prefs.maxAffected,
  });
  const headers: Record<string, string> = { 'Content-Range': contentRange, ...(applied && { 'Preference-Applied': applied }) };
  if (routine.returnsVoid) return withGucOverrides({ status: 204, headers }, row.gucHeaders, row.gucStatus);
  Object.assign(headers, { 'content-type': output.contentType }, profileHeaders(req.schema, req.negotiatedByProfile));
  if (status === 416) {
    const err = errorResponse(errors.outOfBounds(req.topRange.lower, row.tableTotal ?? 0));
    return withGucOverrides({ ...err, headers: { ...headers, ...err.headers } }, row.gucHeaders, row.gucStatus);
  }
  const head = req.action.kind === 'rpc' && req.action.invoke === 'head';
  return withGucOverrides({ status, headers, body: head ? '' : row.body }, row.gucHeaders, row.gucStatus);
}
