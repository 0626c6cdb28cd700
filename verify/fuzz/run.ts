// Runs the fuzz families against a stack and checks the properties: no 5xx, the stack still
// healthy, no stack trace in its log, no change in any table of public, private and auth.users.
import http from 'node:http';
import fc from 'fast-check';
import WebSocket from 'ws';
import { changedTables, tableChecksums } from '../db-state.ts';
import { stackTraceLines, withDb, type StackProcess } from '../stack-process.ts';
import { realtimeSessions, type FuzzSession } from './frames.ts';
import { authRequests, pathRequests, readRequests, rpcRequests, writeRequests, type FuzzRequest } from './requests.ts';
import { loadTargets, type Targets } from './targets.ts';

export interface Finding {
  family: string;
  what: string;
  /** The request or session, enough to send it again. */
  repro: string;
}

export interface FuzzSummary {
  suite: 'fuzz';
  seed: number;
  runs_per_family: number;
  requests: number;
  elapsed_s: number;
  /** Per family: status (or outcome) → count. */
  outcomes: Record<string, Record<string, number>>;
  findings: number;
  /** Tables whose checksum changed, per family. */
  changed: Record<string, string[]>;
  stack_trace_lines: number;
  /** Per family: log lines other than request lines. */
  log_lines: Record<string, number>;
  healthy_after: boolean;
}

const REQUEST_TIMEOUT_MS = 15_000;
const short = (s: string | undefined, n = 300) => (s === undefined ? undefined : s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
export const describeRequest = (r: FuzzRequest) =>
  JSON.stringify({ method: r.method, path: short(r.path, 600), headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, short(v, 80)])), body: short(r.body) });

/** Sends the request as is; resolves with the status and the first bytes of the body, 0 when nothing came back. */
export function send(apiUrl: string, r: FuzzRequest): Promise<{ status: number; body: string; contentType?: string; error?: string }> {
  const url = new URL(apiUrl);
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      // An explicit length: without it Node sends a GET or DELETE body with neither length nor chunking.
      const headers = r.body === undefined ? r.headers : { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) };
      req = http.request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers, timeout: REQUEST_TIMEOUT_MS, agent: false });
    } catch (err) {
      return resolve({ status: -1, body: '', error: `client refused to send: ${(err as Error).message}` });
    }
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        if (body.length < 2000) body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, contentType: res.headers['content-type'] }));
      res.on('error', (err) => resolve({ status: res.statusCode ?? 0, body, error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: '', error: err.message }));
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** Sends the headers and half the body, then drops the connection: the server must shrug it off. */
export function sendAborted(apiUrl: string, r: FuzzRequest): Promise<void> {
  const url = new URL(apiUrl);
  const body = r.body ?? '{"a":1}';
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: url.hostname, port: url.port, method: r.method === 'GET' ? 'POST' : r.method, path: r.path, headers: { ...r.headers, 'content-length': String(Buffer.byteLength(body) + 10) }, agent: false });
    } catch {
      return resolve();
    }
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(body.slice(0, Math.floor(body.length / 2)));
    setTimeout(() => req.destroy(), 20);
  });
}

/**
 * Bad input gets the API's own error shape: JSON from REST (PostgREST's {code, details, hint,
 * message} or the gateway's {message}), Auth (GoTrue's {code, error_code, msg}) and Realtime's
 * broadcast API (Phoenix changeset errors, {errors: {...}}, as Supabase Realtime answers). GoTrue's
 * router answers unknown routes with chi's plain-text 404 and methods with an empty 405: allowed.
 */
export function errorShapeProblem(r: FuzzRequest, res: { status: number; body: string; contentType?: string }): string | undefined {
  if (res.status < 400 || r.method === 'HEAD' || res.body === '' && res.status === 405) return undefined;
  if (r.path.startsWith('/auth/v1') && res.status === 404 && res.body.startsWith('404 page not found')) return undefined;
  // PostgREST answers a path that names no resource (`/rest/v1/`, `/rpc/fn/`) with 404 and `{}`.
  if (r.path.startsWith('/rest/v1') && res.status === 404 && res.body === '{}') return undefined;
  if (!/json/.test(res.contentType ?? '')) return `${res.status} with content-type ${res.contentType ?? 'none'}: ${short(res.body, 120)}`;
  try {
    const body = JSON.parse(res.body) as Record<string, unknown>;
    const changeset = r.path.startsWith('/realtime/v1/api/') && res.status === 422 && typeof body?.errors === 'object' && body.errors !== null;
    if (typeof body !== 'object' || body === null || !('message' in body || 'msg' in body || changeset)) return `${res.status} JSON without message/msg: ${short(res.body, 120)}`;
  } catch {
    if (res.body.length < 2000) return `${res.status} body is not JSON: ${short(res.body, 120)}`;
  }
  return undefined;
}

/** One Realtime session: its frames, then a heartbeat that must be answered (or the socket closed by the server). */
export function runSession(apiUrl: string, s: FuzzSession): Promise<{ outcome: string; detail?: string }> {
  const wsUrl = `${apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?${s.query}`;
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { handshakeTimeout: 5000 });
    let done = false;
    const finish = (outcome: string, detail?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      resolve({ outcome, detail });
    };
    const timer = setTimeout(() => finish('no_heartbeat_reply'), 8000);
    ws.on('unexpected-response', (_req, res) => finish(res.statusCode && res.statusCode >= 500 ? `handshake_${res.statusCode}` : 'handshake_refused', String(res.statusCode)));
    ws.on('error', (err) => finish('socket_error', err.message));
    ws.on('close', (code) => finish('closed_by_server', String(code)));
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"fuzz-hb"')) finish('heartbeat_replied');
    });
    ws.on('open', () => {
      for (const frame of s.frames) {
        if (frame.startsWith('b64:')) ws.send(Buffer.from(frame.slice(4), 'base64'), { binary: true });
        else ws.send(frame);
      }
      const v1 = s.query.includes('vsn=1.0.0');
      ws.send(v1 ? JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: 'fuzz-hb' }) : JSON.stringify([null, 'fuzz-hb', 'phoenix', 'heartbeat', {}]));
    });
  });
}

/** Log lines that are not the one request line per call: errors, warnings, notices. */
const extraLogLines = (log: string) => log.split('\n').filter((l) => l.trim() && !/^\S+ \S+ [A-Z]+ \S* ?\d{3} [\d.]+ms$/.test(l)).length;
/** More than this many such lines per request or session on average is log flooding. */
const MAX_LOG_LINES_PER_REQUEST = 2;

/** The newest idempotency keys and ledger rows: which call wrote, when a checksum changed. */
async function newestWrites(dbUrl: string): Promise<unknown> {
  return withDb(dbUrl, async (db) => ({
    keys: (await db.query('select caller, operation, key, request_hash, created_at from private.idempotency_keys order by created_at desc limit 3')).rows,
    movements: (await db.query('select kind, reason, reference, actor_id, request_id, idempotency_key, created_at from public.stock_movements order by id desc limit 3')).rows,
  }));
}

async function inParallel<T>(items: T[], concurrency: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i] as T, i);
    }
  }));
}

/**
 * Before the fuzz: the per-user RPC limit is lifted (so the fuzzer reaches the RPCs' own checks,
 * not only 429s) and the seed's holds are pushed a day out (so the expiry job does not change
 * stock while the checksums are compared).
 */
async function quiesce(dbUrl: string): Promise<void> {
  await withDb(dbUrl, async (db) => {
    await db.query('update private.rate_limit_settings set max_requests = 1000000');
    await db.query(`update public.reservations set expires_at = expires_at + interval '1 day' where status = 'active'`);
  });
}

export async function runFuzz(stack: StackProcess, opts: { seed: number; runs: number; concurrency?: number; log?: (line: string) => void }): Promise<{ summary: FuzzSummary; findings: Finding[] }> {
  const say = opts.log ?? (() => undefined);
  const concurrency = opts.concurrency ?? 4;
  await quiesce(stack.dbUrl);
  const targets: Targets = await withDb(stack.dbUrl, (db) => loadTargets(db, stack));
  const logStart = stack.log().length;
  const started = performance.now();
  const findings: Finding[] = [];
  const outcomes: Record<string, Record<string, number>> = {};
  const changed: Record<string, string[]> = {};
  const count = (family: string, key: string) => {
    const f = (outcomes[family] ??= {});
    f[key] = (f[key] ?? 0) + 1;
  };
  let requests = 0;
  const logLines: Record<string, number> = {};
  const watchLog = async (family: string, n: number, work: () => Promise<void>) => {
    const from = stack.log().length;
    await work();
    await new Promise((r) => setTimeout(r, 60)); // the log flushes every 25 ms
    logLines[family] = extraLogLines(stack.log().slice(from));
    if (logLines[family] > n * MAX_LOG_LINES_PER_REQUEST) findings.push({ family, what: `log flooding: ${logLines[family]} lines for ${n} requests`, repro: stack.log().slice(from).split('\n').filter(Boolean).slice(0, 5).join('\n') });
  };
  let before = await withDb(stack.dbUrl, (db) => tableChecksums(db));

  const families: Array<[string, fc.Arbitrary<FuzzRequest>]> = [
    ['rest-read', readRequests(targets)],
    ['rest-write', writeRequests(targets)],
    ['rpc', rpcRequests(targets)],
    ['auth', authRequests(targets)],
    ['paths', pathRequests(targets)],
  ];
  for (const [i, [family, arb]] of families.entries()) {
    const samples = fc.sample(arb, { seed: opts.seed + i, numRuns: opts.runs });
    await watchLog(family, samples.length, () => inParallel(samples, concurrency, async (r) => {
      const res = await send(stack.apiUrl, r);
      requests++;
      count(family, res.status > 0 ? String(res.status) : res.status === 0 ? 'no_response' : 'not_sent');
      if (process.env.VERIFY_DEBUG && res.status <= 0) console.error(res.error, describeRequest(r));
      if (res.status >= 500) findings.push({ family, what: `${res.status} ${short(res.body, 200)}`, repro: describeRequest(r) });
      else if (res.status > 0 && errorShapeProblem(r, res)) findings.push({ family, what: `error shape: ${errorShapeProblem(r, res)}`, repro: describeRequest(r) });
      else if (res.status === 0 && !/ECONNRESET|EPIPE|socket hang up/.test(res.error ?? '')) findings.push({ family, what: `no response: ${res.error}`, repro: describeRequest(r) });
    }));
    say(`fuzz ${family}: ${JSON.stringify(outcomes[family])}`);
    const after = await withDb(stack.dbUrl, (db) => tableChecksums(db));
    const diff = changedTables(before, after);
    if (diff.length) {
      changed[family] = diff;
      findings.push({ family, what: `tables changed: ${diff.join(', ')}`, repro: `seed ${opts.seed + i}, ${opts.runs} runs; newest ledger rows: ${JSON.stringify(await newestWrites(stack.dbUrl))}` });
    }
    before = after;
    if ((await stack.health()) !== 200) findings.push({ family, what: 'health check failed after this family', repro: `seed ${opts.seed + i}` });
  }

  // Aborted uploads: half a body, then the connection drops.
  const aborted = fc.sample(fc.oneof(writeRequests(targets), rpcRequests(targets), authRequests(targets)), { seed: opts.seed + 100, numRuns: Math.ceil(opts.runs / 4) });
  await watchLog('aborted', aborted.length, () => inParallel(aborted, concurrency, async (r) => {
    await sendAborted(stack.apiUrl, r);
    requests++;
    count('aborted', 'sent');
  }));
  if ((await stack.health()) !== 200) findings.push({ family: 'aborted', what: 'health check failed after aborted uploads', repro: `seed ${opts.seed + 100}` });

  const sessions = fc.sample(realtimeSessions(targets), { seed: opts.seed + families.length, numRuns: Math.ceil(opts.runs / 2) });
  await watchLog('realtime', sessions.length, () => inParallel(sessions, concurrency, async (s) => {
    const { outcome, detail } = await runSession(stack.apiUrl, s);
    requests++;
    count('realtime', outcome);
    if (outcome.startsWith('handshake_5') || outcome === 'no_heartbeat_reply') {
      findings.push({ family: 'realtime', what: `${outcome} ${detail ?? ''}`, repro: JSON.stringify({ query: short(s.query, 60), frames: s.frames.map((f) => short(f, 200)) }) });
    }
  }));
  say(`fuzz realtime: ${JSON.stringify(outcomes.realtime)}`);
  const after = await withDb(stack.dbUrl, (db) => tableChecksums(db));
  const diff = changedTables(before, after);
  if (diff.length) {
    changed.realtime = diff;
    findings.push({ family: 'realtime', what: `tables changed: ${diff.join(', ')}`, repro: `seed ${opts.seed + families.length}` });
  }

  const healthy = (await stack.health()) === 200;
  if (!healthy) findings.push({ family: 'all', what: 'the stack is not healthy after the fuzz', repro: `seed ${opts.seed}` });
  // The log flushes every 25 ms.
  await new Promise((r) => setTimeout(r, 100));
  const traces = stackTraceLines(stack.log().slice(logStart));
  if (traces.length) findings.push({ family: 'all', what: `${traces.length} stack trace lines in the log`, repro: traces.slice(0, 5).join('\n') });
  return {
    summary: {
      suite: 'fuzz',
      seed: opts.seed,
      runs_per_family: opts.runs,
      requests,
      elapsed_s: Math.round((performance.now() - started) / 100) / 10,
      outcomes,
      findings: findings.length,
      changed,
      stack_trace_lines: traces.length,
      log_lines: logLines,
      healthy_after: healthy,
    },
    findings,
  };
}
