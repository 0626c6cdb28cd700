import type { Operation } from './operation.ts';

/** One measured supabase-js request. */
export interface CallRecord extends Operation {
  /** HTTP status; 0 when no response came (network error). */
  status: number;
  /** The API's error code (PostgREST, the error catalog, Auth) for failed calls. */
  code: string | null;
  /** Until the response's headers arrived, in ms. */
  ms: number;
  requestId: string | null;
  /** The API replayed an idempotent result (when the browser may read Idempotent-Replayed). */
  replayed: boolean;
}

const CODE = /^[A-Za-z0-9_]{1,64}$/;
const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function methodOf(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string {
  return init?.method ?? (typeof input === 'object' && 'method' in input ? input.method : 'GET');
}

function isAbort(error: unknown, init: RequestInit | undefined): boolean {
  return init?.signal?.aborted === true || (error instanceof DOMException && error.name === 'AbortError');
}

/** The error code of a failed response's JSON body ({code} from PostgREST and Auth, {error_code} from older Auth). */
async function errorCodeOf(response: Response): Promise<string | null> {
  try {
    const body = (await response.clone().json()) as { code?: unknown; error_code?: unknown };
    const code = typeof body.code === 'string' ? body.code : typeof body.error_code === 'string' ? body.error_code : null;
    return code && CODE.test(code) ? code : null;
  } catch {
    return null;
  }
}

function requestIdOf(response: Response): string | null {
  const id = response.headers.get('x-request-id') ?? response.headers.get('sb-request-id');
  return id && REQUEST_ID.test(id) ? id : null;
}

// Built field by field: object spread is several µs per call in V8 here, this is on every request.
function record(o: Operation, status: number, code: string | null, ms: number, requestId: string | null, replayed: boolean): CallRecord {
  return { op: o.op, method: o.method, vendor: o.vendor, status, code, ms, requestId, replayed };
}

/**
 * A fetch that measures every request `describe` recognises and reports it to `report`, after the
 * caller has its response: it never delays a request, never changes one, and never throws more
 * than the underlying fetch does (telemetry failures are swallowed). Aborted requests (the app
 * cancelled them) are not reported.
 */
export function instrumentFetch(
  base: typeof fetch,
  describe: (url: string, method: string) => Operation | null,
  report: (call: CallRecord) => void,
  now: () => number = () => performance.now(),
): typeof fetch {
  const safely = (work: () => void) => {
    try {
      work();
    } catch {
      // Telemetry must never break the app.
    }
  };
  return async (input, init) => {
    const started = now();
    let operation: Operation | null = null;
    safely(() => (operation = describe(urlOf(input), methodOf(input, init))));
    if (!operation) return base(input, init);
    const described: Operation = operation;
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      const ms = now() - started;
      if (!isAbort(error, init)) safely(() => report(record(described, 0, 'network_error', ms, null, false)));
      throw error;
    }
    const ms = now() - started;
    safely(() => {
      const requestId = requestIdOf(response);
      const replayed = described.method === 'POST' && response.headers.get('idempotent-replayed') === 'true';
      if (response.ok) report(record(described, response.status, null, ms, requestId, replayed));
      else void errorCodeOf(response).then((code) => safely(() => report(record(described, response.status, code, ms, requestId, replayed))));
    });
    return response;
  };
}
