import type { Pacer } from './pacer.ts';
import type { Operation, Tally } from './tally.ts';

interface RpcResponse<T> {
  data: T | null;
  error: { code: string; message: string; hint: string | null } | null;
  status: number;
}

export type CallResult<T> = { ok: true; data: T } | { ok: false; code: string; aborted: boolean };

const MAX_RETRIES = 3;

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Seconds from the `rate_limited` error's hint ("Retry after 3 seconds."), as the Retry-After header says. */
export function retryAfterMs(hint: string | null): number {
  const seconds = Number(/retry after (\d+)/i.exec(hint ?? '')?.[1]);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
}

/**
 * Makes one intent's RPC and counts its outcome. `send` makes the request and must carry the
 * intent's idempotency key, fixed before the first attempt: after a network error, a 502/503/504
 * or a 429 the same request goes again, and the server applies it at most once.
 */
export async function callRpc<T>(
  ctx: { tally: Tally; pacer: Pacer; signal: AbortSignal },
  op: Operation,
  send: (signal: AbortSignal) => PromiseLike<RpcResponse<T>>,
): Promise<CallResult<T>> {
  const { tally, pacer, signal } = ctx;
  for (let attempt = 0; ; attempt++) {
    const { data, error, status } = await send(signal);
    if (!error) {
      tally.outcome(op, 'ok');
      return { ok: true, data: data as T };
    }
    if (signal.aborted) return { ok: false, code: 'aborted', aborted: true };
    if (attempt < MAX_RETRIES && status === 429) {
      tally.rateLimited++;
      const wait = retryAfterMs(error.hint);
      pacer.blockFor(wait);
      await sleep(wait, signal);
      continue;
    }
    if (attempt < MAX_RETRIES && [0, 502, 503, 504].includes(status)) {
      tally.networkRetries++;
      await sleep(250 * 2 ** attempt, signal);
      continue;
    }
    tally.failure(op, status, error.code, error.message);
    return { ok: false, code: error.code, aborted: false };
  }
}
