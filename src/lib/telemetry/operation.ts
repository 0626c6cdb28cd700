// What a supabase-js request is, for telemetry: the service and the table, function or endpoint
// (never ids, filters or anything else from the URL), the method, and the vendor when the request
// names one. The database refuses any other shape (ingest_telemetry), so nothing personal leaves.

export type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Operation {
  /** rest:<table>, rpc:<function>, auth:<endpoint>, realtime:<endpoint>, storage:<endpoint>, functions:<name>. */
  op: string;
  method: Method;
  vendor: string | null;
}

const METHODS = new Set<string>(['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE']);
const NAME = /^[a-z0-9_]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SERVICES: Record<string, string> = { rest: 'rest', auth: 'auth', realtime: 'realtime', storage: 'storage', functions: 'functions' };

/** The leading name-like path segments (at most `max`): ids and anything else end the name. */
function nameOf(segments: string[], max: number): string | null {
  const kept: string[] = [];
  for (const segment of segments) {
    const lower = segment.toLowerCase();
    if (!NAME.test(lower) || kept.length === max) break;
    kept.push(lower);
  }
  return kept.length > 0 ? kept.join('/') : null;
}

/** The vendor a request is about: a `vendor_id=eq.<id>` filter, else the page's `?vendor=<id>` (the vendor workspace). */
function vendorOf(query: string, pageSearch: string | undefined): string | null {
  if (query.includes('vendor_id=')) {
    const filter = new URLSearchParams(query).get('vendor_id');
    const fromFilter = filter?.startsWith('eq.') ? filter.slice(3).toLowerCase() : null;
    if (fromFilter && UUID.test(fromFilter)) return fromFilter;
  }
  if (!pageSearch?.includes('vendor=')) return null;
  const fromPage = new URLSearchParams(pageSearch).get('vendor')?.toLowerCase() ?? null;
  return fromPage && UUID.test(fromPage) ? fromPage : null;
}

/**
 * The operation of a request to `apiUrl` (the Supabase project URL, as given to createClient), or
 * null for any other URL, unknown methods, the telemetry ingest and the admin dashboard's
 * monitoring functions. `pageSearch` is the page's query string (location.search). Runs on every
 * request: plain string work, no URL parsing unless a vendor is named.
 */
export function describeRequest(requestUrl: string, method: string, apiUrl: string, pageSearch?: string): Operation | null {
  const upper = method.toUpperCase();
  if (!METHODS.has(upper)) return null;
  const base = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
  if (!requestUrl.startsWith(base)) return null;
  const rest = requestUrl.slice(base.length);
  const q = rest.search(/[?#]/);
  const [serviceSegment, version, ...segments] = (q < 0 ? rest : rest.slice(0, q)).split('/');
  const service = SERVICES[serviceSegment ?? ''];
  if (!service || version !== 'v1') return null;

  let op: string | null;
  if (service === 'rest' && segments[0] === 'rpc') {
    const fn = nameOf(segments.slice(1), 1);
    // Telemetry does not report on itself, nor the dashboard on its own reads.
    if (fn === 'ingest_telemetry' || fn?.startsWith('admin_')) return null;
    op = fn && `rpc:${fn}`;
  } else {
    const name = nameOf(segments, service === 'rest' ? 1 : 2);
    op = name && `${service}:${name}`;
  }
  if (!op || op.length > 100) return null;
  return { op, method: upper as Method, vendor: vendorOf(q < 0 ? '' : rest.slice(q + 1).split('#')[0]!, pageSearch) };
}
