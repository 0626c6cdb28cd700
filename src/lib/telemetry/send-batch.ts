import type { Batch, SendOutcome } from './collector.ts';

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Posts batches to public.ingest_telemetry with the plain fetch (so they never measure
 * themselves), with `keepalive` when asked, as the signed-in user when there is one. A 429 pauses
 * sending for Retry-After (a minute when the browser may not read it).
 */
export function batchSender(opts: { apiUrl: string; anonKey: string; accessToken: () => string | null; baseFetch: typeof fetch }) {
  const endpoint = `${opts.apiUrl.replace(/\/+$/, '')}/rest/v1/rpc/ingest_telemetry`;
  return async (batch: Batch, { keepalive }: { keepalive: boolean }): Promise<SendOutcome> => {
    const response = await opts.baseFetch(endpoint, {
      method: 'POST',
      keepalive,
      headers: { apikey: opts.anonKey, authorization: `Bearer ${opts.accessToken() ?? opts.anonKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch, idempotency_key: `telemetry-${uuid()}` }),
    });
    if (response.status !== 429) return {};
    const seconds = Number(response.headers.get('retry-after'));
    return { retryAfterMs: (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000 };
  };
}
