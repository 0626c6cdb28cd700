// A fetch wrapper for the simulator's supabase-js clients: latency and status per operation, and
// every RPC the server acknowledged (2xx) with its idempotency key, token and arguments, so the
// suites can check it is in the ledger and send it again.

export interface AckedCall {
  fn: string;
  key: string;
  authorization: string;
  body: string;
  /** The result's id (reservation, order) when it has one. */
  resultId?: string;
  at: number;
}

const RPC_PATH = /\/rest\/v1\/rpc\/([^/?]+)/;

/** `rpc:reserve_stock`, `read:inventory_levels`, `auth:token`, ... */
export function operationOf(url: URL, method: string): string {
  const rpc = RPC_PATH.exec(url.pathname);
  if (rpc) return `rpc:${rpc[1]}`;
  const rest = /\/rest\/v1\/([^/?]+)/.exec(url.pathname);
  if (rest) return `${method === 'GET' || method === 'HEAD' ? 'read' : 'write'}:${rest[1]}`;
  const auth = /\/auth\/v1\/([^/?]+)/.exec(url.pathname);
  if (auth) return `auth:${auth[1]}`;
  return `other:${url.pathname}`;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly statuses = new Map<string, Record<string, number>>();
  readonly acked: AckedCall[] = [];
  /** Requests that got no response (connection refused or reset). */
  networkErrors = 0;

  private count(op: string, status: string) {
    const s = this.statuses.get(op) ?? {};
    s[status] = (s[status] ?? 0) + 1;
    this.statuses.set(op, s);
  }

  wrap(base: typeof fetch = fetch): typeof fetch {
    return async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      const op = operationOf(url, request.method);
      const body = typeof init?.body === 'string' ? init.body : undefined;
      const started = performance.now();
      let res: Response;
      try {
        res = await base(input, init);
      } catch (err) {
        if ((err as Error).name !== 'AbortError') {
          this.networkErrors++;
          this.count(op, 'network');
        }
        throw err;
      }
      const ms = performance.now() - started;
      const list = this.latencies.get(op) ?? [];
      list.push(ms);
      this.latencies.set(op, list);
      this.count(op, String(res.status));
      if (op.startsWith('rpc:') && request.method === 'POST' && res.ok && body) {
        const key = (JSON.parse(body) as { idempotency_key?: unknown }).idempotency_key;
        if (typeof key === 'string') {
          const result = (await res.clone().json().catch(() => null)) as { id?: unknown } | null;
          this.acked.push({
            fn: op.slice(4),
            key,
            authorization: request.headers.get('authorization') ?? '',
            body,
            resultId: typeof result?.id === 'string' ? result.id : undefined,
            at: Date.now(),
          });
        }
      }
      return res;
    };
  }

  /** Per operation: count, p50/p95/p99 in ms, statuses. */
  figures(): Record<string, { count: number; p50_ms: number; p95_ms: number; p99_ms: number; statuses: Record<string, number> }> {
    const out: ReturnType<Recorder['figures']> = {};
    for (const [op, statuses] of [...this.statuses].sort(([a], [b]) => a.localeCompare(b))) {
      const sorted = [...(this.latencies.get(op) ?? [])].sort((a, b) => a - b);
      const round = (n: number) => Math.round(n * 10) / 10;
      out[op] = { count: Object.values(statuses).reduce((a, b) => a + b, 0), p50_ms: round(percentile(sorted, 0.5)), p95_ms: round(percentile(sorted, 0.95)), p99_ms: round(percentile(sorted, 0.99)), statuses };
    }
    return out;
  }

  /** Responses with this status class (5 → 5xx) across all operations. */
  countStatus(prefix: string): number {
    let n = 0;
    for (const s of this.statuses.values()) for (const [code, c] of Object.entries(s)) if (code.startsWith(prefix)) n += c;
    return n;
  }
}
