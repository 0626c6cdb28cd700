// PostgREST v12 errors: its own PGRSTxxx codes and the SQLSTATE → HTTP mapping (src/PostgREST/Error.hs).
import type pg from 'pg';

export interface ErrorBody {
  code: string;
  message: string;
  /** Text, or for an ambiguous embedding the list of candidate relationships. */
  details: string | null | object[];
  hint: string | null;
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | Record<string, never>,
    readonly headers: Record<string, string> = {},
  ) {
    super('message' in body ? body.message : `HTTP ${status}`);
  }
}

const error = (status: number, code: string, message: string, details: ErrorBody['details'] = null, hint: string | null = null, headers?: Record<string, string>) =>
  new RestError(status, { code, message, details, hint }, headers);

export const errors = {
  queryParam: (message: string, details: string) => error(400, 'PGRST100', message, details),
  /** A bound of limits.ts: PostgREST's parse-error code, as the request is refused before it runs. */
  limitExceeded: (message: string, details: string | null) => error(400, 'PGRST100', message, details),
  nestingTooDeep: (what: string, max: number) =>
    error(400, 'PGRST100', `The ${what} nests deeper than ${max} levels`, `At most ${max} levels of nested parentheses are allowed in a query parameter.`),
  bodyTooDeep: (max: number) => error(400, 'PGRST102', `The JSON body nests arrays and objects deeper than ${max} levels`, `At most ${max} levels are allowed.`),
  /** Not in PostgREST (which has no such bound): the local stack refuses to build responses past MAX_RESPONSE_BYTES. */
  responseTooLarge: (bytes: number, max: number) =>
    error(400, 'PGRSTX01', `The response would be ${bytes} bytes; at most ${max} are allowed`, null, 'Ask for fewer rows (limit, Range) or fewer columns and embedded resources, and paginate.'),
  rpcMethod: (method: string) => error(405, 'PGRST101', `Cannot use the ${method} method on RPC`),
  invalidBody: (message: string) => error(400, 'PGRST102', message),
  negativeLimit: () => error(416, 'PGRST103', 'Requested range not satisfiable', 'Limit should be greater than or equal to zero.'),
  lowerGtUpper: () =>
    error(416, 'PGRST103', 'Requested range not satisfiable', 'The lower boundary must be lower than or equal to the upper boundary in the Range header.'),
  outOfBounds: (lower: number, total: number) =>
    error(416, 'PGRST103', 'Requested range not satisfiable', `An offset of ${lower} was requested, but there are only ${total} rows.`),
  putFilters: () => error(405, 'PGRST105', "Filters must include all and only primary key columns with 'eq' operators"),
  unacceptableSchema: (schemas: string[]) => error(406, 'PGRST106', `The schema must be one of the following: ${schemas.join(', ')}`),
  mediaType: (types: string[]) => error(406, 'PGRST107', `None of these media types are available: ${types.join(', ')}`),
  notEmbedded: (resource: string) =>
    error(400, 'PGRST108', `'${resource}' is not an embedded resource in this request`, null, `Verify that '${resource}' is included in the 'select' query parameter.`),
  limitNoOrder: () => error(400, 'PGRST109', "A 'limit' was applied without an explicit 'order'", null, "Apply an 'order' using unique column(s)"),
  offLimitsChanges: (n: number, max: number) =>
    error(400, 'PGRST110', 'The maximum number of rows allowed to change was surpassed', `Results contain ${n} rows changed but the maximum number allowed is ${max}`),
  gucHeaders: () => error(500, 'PGRST111', 'response.headers guc must be a JSON array composed of objects with a single key and a string value'),
  gucStatus: () => error(500, 'PGRST112', 'response.status guc must be a valid status code'),
  putLimit: () => error(400, 'PGRST114', 'limit/offset querystring parameters are not allowed for PUT'),
  putMatchingPk: () => error(400, 'PGRST115', 'Payload values do not match URL in primary key column(s)'),
  singular: (n: number) => error(406, 'PGRST116', 'JSON object requested, multiple (or no) rows returned', `The result contains ${n} rows`),
  unsupportedMethod: (method: string) => error(405, 'PGRST117', `Unsupported HTTP method: ${method}`),
  relatedOrderNotToOne: (origin: string, target: string) =>
    error(400, 'PGRST118', `A related order on '${target}' is not possible`, `'${origin}' and '${target}' do not form a many-to-one or one-to-one relationship`),
  spreadNotToOne: (origin: string, target: string) =>
    error(400, 'PGRST119', `A spread operation on '${target}' is not possible`, `'${origin}' and '${target}' do not form a many-to-one or one-to-one relationship`),
  unacceptableFilter: (target: string) =>
    error(400, 'PGRST120', `Bad operator on the '${target}' embedded resource`, 'Only is null or not is null filters are allowed on embedded resources'),
  invalidPreferences: (prefs: string[]) =>
    error(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${prefs.join(', ')}`),
  aggregatesNotAllowed: () => error(400, 'PGRST123', 'Use of aggregate functions is not allowed'),
  maxAffected: (n: number) => error(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${n} rows`),
  noRelationship: (message: string, details: string, hint: string | null) => error(400, 'PGRST200', message, details, hint),
  ambiguousRelationship: (message: string, details: object[], hint: string) => error(300, 'PGRST201', message, details, hint),
  noFunction: (message: string, details: string, hint: string | null) => error(404, 'PGRST202', message, details, hint),
  ambiguousFunction: (message: string) =>
    error(300, 'PGRST203', message, null, 'Try renaming the parameters or the function itself in the database so function overloading can be resolved'),
  columnNotFound: (table: string, column: string) => error(400, 'PGRST204', `Could not find the '${column}' column of '${table}' in the schema cache`),
  jwt: (message: string) =>
    error(401, 'PGRST301', message, null, null, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description=${JSON.stringify(message)}` }),
  anonDisabled: () => error(401, 'PGRST302', 'Anonymous access is disabled', null, null, { 'WWW-Authenticate': 'Bearer' }),
  /** PostgREST's plain 404 for an unknown path: an empty JSON object. */
  notFound: () => new RestError(404, {}),
  /** What Postgres answers for an unknown relation, which PostgREST v12 passes through. */
  undefinedTable: (schema: string, name: string) => error(404, '42P01', `relation "${schema}.${name}" does not exist`),
  /** What Postgres answers for an unknown column reference, which PostgREST v12 passes through. */
  undefinedColumn: (relation: string, column: string) => error(400, '42703', `column ${relation}.${column} does not exist`),
  undefinedType: (type: string) => error(400, '42704', `type "${type}" does not exist`),
  /** pg-safeupdate, loaded for the authenticator role on Supabase, refuses unfiltered UPDATE and DELETE. */
  safeUpdate: (command: 'UPDATE' | 'DELETE') => error(400, '21000', `${command} requires a WHERE clause`),
  connection: (details: string) => error(503, 'PGRST000', 'Database connection error. Retrying the connection.', details),
  poolTimeout: () => error(504, 'PGRST003', 'Timed out acquiring connection from connection pool.'),
  noSchemaCache: () => error(503, 'PGRST002', 'Could not query the database for the schema cache. Retrying.'),
};

/** SQLSTATE → HTTP status, as `pgErrorStatus` in PostgREST's Error.hs. */
function statusForSqlState(code: string, message: string, authenticated: boolean): number {
  const exact: Record<string, number> = {
    '23503': 409,
    '23505': 409,
    '25006': 405,
    '53400': 500,
    '57P01': 503,
    P0001: 400,
    '42P01': 404,
    '42P17': 500,
  };
  if (code === '21000') return message.endsWith('requires a WHERE clause') ? 400 : 500;
  if (code === '42883') return message.startsWith('function xmlagg(') ? 406 : 404;
  if (code === '42501') return authenticated ? 403 : 401;
  if (code in exact) return exact[code] as number;
  if (code.startsWith('PT')) {
    const status = Number(code.slice(2));
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500;
  }
  const prefixes: Array<[string, number]> = [
    ['08', 503], ['09', 500], ['0L', 403], ['0P', 403], ['25', 500], ['28', 403], ['2D', 500], ['38', 500], ['39', 500],
    ['3B', 500], ['40', 500], ['53', 503], ['54', 500], ['55', 500], ['57', 500], ['58', 500], ['F0', 500], ['HV', 500],
    ['P0', 500], ['XX', 500],
  ];
  for (const [prefix, status] of prefixes) if (code.startsWith(prefix)) return status;
  return 400;
}

function raiseParseError(details: string, hint: string): RestError {
  return error(500, 'PGRST121', 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error', details, hint);
}

const MESSAGE_HINT = "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.";
const DETAIL_HINT = "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalText = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : undefined);

/** `RAISE SQLSTATE 'PGRST' USING message = '{json}', detail = '{json}'`: full control of the response. */
function raisedPgrstError(message: string, detail: string | undefined): RestError {
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    body = undefined;
  }
  const details = isObject(body) ? optionalText(body.details) : undefined;
  const hint = isObject(body) ? optionalText(body.hint) : undefined;
  if (!isObject(body) || typeof body.code !== 'string' || typeof body.message !== 'string' || details === undefined || hint === undefined) {
    return raiseParseError(`Invalid JSON value for MESSAGE: '${message}'`, MESSAGE_HINT);
  }
  if (detail === undefined) return raiseParseError('DETAIL is missing in the RAISE statement', DETAIL_HINT);
  let spec: unknown;
  try {
    spec = JSON.parse(detail);
  } catch {
    spec = undefined;
  }
  const headers = isObject(spec) ? spec.headers : undefined;
  if (
    !isObject(spec) ||
    typeof spec.status !== 'number' ||
    !Number.isInteger(spec.status) ||
    spec.status < 100 ||
    spec.status > 599 ||
    !isObject(headers) ||
    Object.values(headers).some((v) => typeof v !== 'string') ||
    optionalText(spec.status_text) === undefined
  ) {
    return raiseParseError(`Invalid JSON value for DETAIL: '${detail}'`, DETAIL_HINT);
  }
  return new RestError(spec.status, { code: body.code, message: body.message, details, hint }, headers as Record<string, string>);
}

/** Turns an error from Postgres into PostgREST's response for it. */
export function fromDatabaseError(err: pg.DatabaseError, authenticated: boolean): RestError {
  const code = err.code ?? 'XX000';
  if (code === 'PGRST') return raisedPgrstError(err.message, err.detail);
  const status = statusForSqlState(code, err.message, authenticated);
  return new RestError(
    status,
    { code, message: err.message, details: err.detail ?? null, hint: err.hint ?? null },
    status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {},
  );
}
