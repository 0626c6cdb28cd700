// Response details shared by reads, writes and RPC: Content-Range and range statuses
// (src/PostgREST/RangeQuery.hs), the response.headers / response.status GUCs, Content-Profile.
import type { ApiResponse } from '../service.ts';
import { errors, type RestError } from './errors.ts';
import type { RowRange } from './types.ts';

export function contentRange(lower: number, upper: number, total: number | undefined): string {
  const range = total !== 0 && lower <= upper ? `${lower}-${upper}` : '*';
  return `${range}/${total === undefined ? '*' : total}`;
}

/** Status and Content-Range of a read: 206 for a partial page, 416 past the end (when counted). */
export function rangeStatus(top: RowRange, queryTotal: number, tableTotal: number | undefined): { status: number; contentRange: string } {
  const lower = top.lower;
  const upper = lower + queryTotal - 1;
  let status = 200;
  if (tableTotal !== undefined) {
    if (lower > tableTotal) status = 416;
    else if (1 + upper - lower < tableTotal) status = 206;
  }
  return { status, contentRange: contentRange(lower, upper, tableTotal) };
}

export function profileHeaders(schema: string, negotiatedByProfile: boolean): Record<string, string> {
  return negotiatedByProfile ? { 'Content-Profile': schema } : {};
}

function decodeGucHeaders(text: string | null): Array<[string, string]> {
  if (text === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw errors.gucHeaders();
  }
  if (!Array.isArray(parsed)) throw errors.gucHeaders();
  return parsed.map((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw errors.gucHeaders();
    const pairs = Object.entries(entry);
    if (pairs.length !== 1 || typeof pairs[0]![1] !== 'string') throw errors.gucHeaders();
    return pairs[0] as [string, string];
  });
}

function decodeGucStatus(text: string | null): number | undefined {
  if (text === null) return undefined;
  const m = /^\d+/.exec(text);
  if (!m) throw errors.gucStatus();
  const status = Number(m[0]);
  if (status < 100 || status > 599) throw errors.gucStatus();
  return status;
}

/** Applies `response.status` and `response.headers` set during the request; GUC headers replace same-named ones. */
export function withGucOverrides(response: ApiResponse, gucHeaders: string | null, gucStatus: string | null): ApiResponse {
  const status = decodeGucStatus(gucStatus) ?? response.status;
  const extra = decodeGucHeaders(gucHeaders);
  if (extra.length === 0) return { ...response, status };
  const names = new Set(extra.map(([k]) => k.toLowerCase()));
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(response.headers ?? {})) if (!names.has(k.toLowerCase())) headers[k] = v;
  for (const [k, v] of extra) {
    const existing = headers[k];
    headers[k] = existing === undefined ? v : [...(Array.isArray(existing) ? existing : [existing]), v];
  }
  return { ...response, status, headers };
}

export function errorResponse(err: RestError): ApiResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...err.headers },
    body: JSON.stringify(err.body),
  };
}
