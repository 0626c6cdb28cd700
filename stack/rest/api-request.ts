// An HTTP request turned into PostgREST's intent (src/PostgREST/ApiRequest.hs): the action, the
// schema chosen by profile headers, query parameters, preferences, ranges and the parsed payload.
import type { ApiRequest } from '../service.ts';
import { parseCsv } from './csv.ts';
import { errors } from './errors.ts';
import { jsonNestingExceeds, MAX_BODY_NESTING } from './limits.ts';
import { decodeQueryString, parseQueryParams } from './parse-query.ts';
import { parsePreferences, type Preferences } from './preferences.ts';
import type { QueryParams, RowRange } from './types.ts';

export type Mutation = 'create' | 'update' | 'delete' | 'upsert';

export type Action =
  | { kind: 'read'; relation: string; headOnly: boolean }
  | { kind: 'mutate'; relation: string; mutation: Mutation }
  | { kind: 'rpc'; name: string; invoke: 'get' | 'head' | 'post' }
  /** `GET /` (and HEAD): the OpenAPI document of the schema. */
  | { kind: 'openapi'; headOnly: boolean };

export type Payload =
  /** A JSON object or array of objects; `keys` are its (uniform) keys. */
  | { kind: 'json'; raw: string; keys: string[]; isObject: boolean }
  /** A body sent as is to a function's single unnamed text/xml/bytea parameter. */
  | { kind: 'raw'; raw: Buffer; mediaType: 'text/plain' | 'text/xml' | 'application/octet-stream' };

export interface RestRequest {
  action: Action;
  schema: string;
  negotiatedByProfile: boolean;
  query: QueryParams;
  prefs: Preferences;
  payload?: Payload;
  /** Keys of the payload, or the `columns` parameter. */
  columns: string[];
  contentType: string;
  /** The top-level rows requested by Range header and limit/offset, before max rows. */
  topRange: RowRange;
  method: string;
  path: string;
  /** Lower-case header names without the cookie header, for `request.headers`. */
  headers: Record<string, string>;
  cookies: Record<string, string>;
  accept: string | undefined;
}

export const ALL_ROWS: RowRange = { lower: 0, upper: Infinity };

const intersect = (a: RowRange, b: RowRange): RowRange => ({ lower: Math.max(a.lower, b.lower), upper: Math.min(a.upper, b.upper) });

/** The range from `limit`/`offset` parameters for one embed level ('' is the top level). */
export function rangeFromParams(query: QueryParams, key: string): RowRange {
  const limit = query.limits.get(key);
  const offset = query.offsets.get(key) ?? 0;
  if (limit === undefined) return { lower: offset, upper: Infinity };
  return { lower: offset, upper: offset + limit - 1 };
}

function rangeFromHeader(value: string | undefined): RowRange {
  const m = value === undefined ? null : /^([0-9]+)-([0-9]*)$/.exec(value);
  if (!m) return ALL_ROWS;
  return { lower: Number(m[1]), upper: m[2] === '' ? Infinity : Number(m[2]) };
}

function firstHeader(req: ApiRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

type Resource = { relation: string } | { routine: string } | { root: true };

function resourceOf(path: string): Resource | undefined {
  const segments = path.replace(/^\//, '').split('/').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (segments.length === 1 && segments[0] === '') return { root: true };
  if (segments.length === 1) return { relation: segments[0] as string };
  if (segments.length === 2 && segments[0] === 'rpc' && segments[1] !== '') return { routine: segments[1] as string };
  return undefined;
}

function actionOf(resource: Resource, method: string): Action {
  if ('root' in resource) {
    if (method === 'GET' || method === 'HEAD') return { kind: 'openapi', headOnly: method === 'HEAD' };
    throw errors.unsupportedMethod(method);
  }
  if ('routine' in resource) {
    if (method === 'GET') return { kind: 'rpc', name: resource.routine, invoke: 'get' };
    if (method === 'HEAD') return { kind: 'rpc', name: resource.routine, invoke: 'head' };
    if (method === 'POST') return { kind: 'rpc', name: resource.routine, invoke: 'post' };
    throw errors.rpcMethod(method);
  }
  const relation = resource.relation;
  switch (method) {
    case 'GET':
      return { kind: 'read', relation, headOnly: false };
    case 'HEAD':
      return { kind: 'read', relation, headOnly: true };
    case 'POST':
      return { kind: 'mutate', relation, mutation: 'create' };
    case 'PUT':
      return { kind: 'mutate', relation, mutation: 'upsert' };
    case 'PATCH':
      return { kind: 'mutate', relation, mutation: 'update' };
    case 'DELETE':
      return { kind: 'mutate', relation, mutation: 'delete' };
    default:
      throw errors.unsupportedMethod(method);
  }
}

function jsonPayload(raw: string, emptyAsObject: boolean): Payload {
  if (raw.trim() === '' && emptyAsObject) return { kind: 'json', raw: '{}', keys: [], isObject: true };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw errors.invalidBody('Empty or invalid json');
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: 'json', raw: '[]', keys: [], isObject: false };
    const first = value[0];
    if (typeof first !== 'object' || first === null || Array.isArray(first)) throw errors.invalidBody('All object keys must match');
    const keys = Object.keys(first).sort();
    const same = value.every((v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
      const k = Object.keys(v).sort();
      return k.length === keys.length && k.every((x, i) => x === keys[i]);
    });
    if (!same) throw errors.invalidBody('All object keys must match');
    return { kind: 'json', raw, keys, isObject: false };
  }
  if (typeof value === 'object' && value !== null) return { kind: 'json', raw, keys: Object.keys(value).sort(), isObject: true };
  return { kind: 'json', raw: '[]', keys: [], isObject: false };
}

function payloadOf(req: ApiRequest, action: Action, contentType: string, columnsParam: string[] | undefined): Payload | undefined {
  const parse = (action.kind === 'mutate' && action.mutation !== 'delete') || (action.kind === 'rpc' && action.invoke === 'post');
  if (!parse) return undefined;
  const isRpc = action.kind === 'rpc';
  const body = req.body.toString('utf8');
  switch (contentType) {
    case 'application/json':
      if (jsonNestingExceeds(body)) throw errors.bodyTooDeep(MAX_BODY_NESTING);
      if (columnsParam) {
        const trimmed = body.trimStart();
        return { kind: 'json', raw: body === '' && isRpc ? '{}' : body, keys: columnsParam, isObject: trimmed.startsWith('{') || (body === '' && isRpc) };
      }
      return jsonPayload(body, isRpc);
    case 'text/csv': {
      const rows = parseCsv(body);
      if (rows === undefined) throw errors.invalidBody('All lines must have same number of fields');
      return jsonPayload(JSON.stringify(rows), false);
    }
    case 'application/x-www-form-urlencoded': {
      const object = Object.fromEntries(decodeQueryString(body));
      return { kind: 'json', raw: JSON.stringify(object), keys: Object.keys(object).sort(), isObject: true };
    }
    case 'text/plain':
    case 'text/xml':
    case 'application/octet-stream':
      if (isRpc) return { kind: 'raw', raw: req.body, mediaType: contentType };
  }
  throw errors.invalidBody(`Content-Type not acceptable: ${contentType}`);
}

function cookiesOf(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function parseApiRequest(req: ApiRequest, schemas: string[], timezones: Set<string>): RestRequest {
  const resource = resourceOf(req.path);
  if (!resource) throw errors.notFound();
  const method = req.method.toUpperCase();
  const profileHeader = ['DELETE', 'PATCH', 'POST', 'PUT'].includes(method) ? 'content-profile' : 'accept-profile';
  const profile = firstHeader(req, profileHeader);
  if (profile !== undefined && !schemas.includes(profile)) throw errors.unacceptableSchema(schemas);
  const schema = profile ?? (schemas[0] as string);
  const action = actionOf(resource, method);

  const isRpcRead = action.kind === 'rpc' && action.invoke !== 'post';
  const query = parseQueryParams(req.url.search, isRpcRead);

  const headerRange = method === 'GET' ? rangeFromHeader(firstHeader(req, 'range')) : ALL_ROWS;
  const limitRange = rangeFromParams(query, '');
  // `limit=0` (without an offset) is the one empty range allowed; it wins over a Range header.
  const limitZero = query.limits.get('') === 0 && (query.offsets.get('') ?? 0) === 0;
  const topRange = limitZero ? { lower: 0, upper: -1 } : intersect(headerRange, limitRange);
  if (topRange.upper < topRange.lower && !limitZero) throw headerRange.upper < headerRange.lower ? errors.lowerGtUpper() : errors.negativeLimit();
  const hasRanges = query.limits.size > 0 || query.offsets.size > 0;
  if ((method === 'PATCH' || method === 'DELETE') && hasRanges && query.order.length === 0) throw errors.limitNoOrder();
  if (method === 'PUT' && (topRange.lower !== 0 || topRange.upper !== Infinity)) throw errors.putLimit();

  const contentTypeHeader = firstHeader(req, 'content-type');
  const contentType = contentTypeHeader === undefined ? 'application/json' : (contentTypeHeader.split(';')[0] as string).trim().toLowerCase();
  const columnsParam = action.kind === 'rpc' || (action.kind === 'mutate' && (action.mutation === 'create' || action.mutation === 'update')) ? query.columns : undefined;
  const payload = payloadOf(req, action, contentType, columnsParam);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    action,
    schema,
    negotiatedByProfile: profile !== undefined || schemas.length !== 1,
    query,
    prefs: parsePreferences(req.headers.prefer, timezones),
    ...(payload && { payload }),
    columns: payload?.kind === 'json' ? payload.keys : [],
    contentType,
    topRange,
    method,
    path: req.path,
    headers,
    cookies: cookiesOf(firstHeader(req, 'cookie')),
    accept: firstHeader(req, 'accept'),
  };
}
