import type { ApiRequest, ApiResponse } from '../service.ts';

/** GoTrue's HTTPError: `{code, error_code, msg}` before API version 2024-01-01, `{code, message}` from it on. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Only for weak_password: the reasons GoTrue lists under `weak_password.reasons`. */
    readonly weakPasswordReasons?: string[],
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);

export const API_VERSION_HEADER = 'x-supabase-api-version';
const API_VERSION_2024 = Date.UTC(2024, 0, 1);

/** GoTrue's DetermineClosestAPIVersion: a YYYY-MM-DD date at or after 2024-01-01 selects the new error shape. */
function requestsApiVersion2024(req: ApiRequest): boolean {
  const raw = req.headers[API_VERSION_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(parsed) && parsed >= API_VERSION_2024;
}

export function errorResponse(req: ApiRequest, err: AuthError): ApiResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-sb-error-code': err.code };
  const v2024 = requestsApiVersion2024(req);
  let body: Record<string, unknown>;
  if (v2024) {
    headers[API_VERSION_HEADER] = '2024-01-01';
    body = { code: err.code, message: err.message };
  } else {
    body = { code: err.status, error_code: err.code, msg: err.message };
  }
  if (err.weakPasswordReasons) body.weak_password = { reasons: err.weakPasswordReasons };
  // GoTrue does not send x-sb-error-code for weak passwords in the 2024 shape.
  if (err.weakPasswordReasons && v2024) delete headers['x-sb-error-code'];
  return { status: err.status, headers, body: JSON.stringify(body) };
}
