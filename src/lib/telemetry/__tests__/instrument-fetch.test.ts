import { describe, expect, it } from 'vitest';
import { instrumentFetch, type CallRecord } from '../instrument-fetch.ts';
import { describeRequest } from '../operation.ts';

const API = 'http://127.0.0.1:54321';
const describe_ = (url: string, method: string) => describeRequest(url, method, API);

/** A fetch answering with `response` (or failing with `error`) after `delayMs`, recording what it was asked. */
function fakeFetch(response: () => Response, opts: { delayMs?: number; error?: unknown } = {}) {
  const requests: Array<{ url: string; init?: RequestInit }> = [];
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), ...(init && { init }) });
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 0));
    if (opts.error) throw opts.error;
    return response();
  }) as typeof fetch;
  return { fn, requests };
}

function clock(times: number[]) {
  return () => times.shift() ?? 0;
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('instrumentFetch', () => {
  it('reports a call with its operation, status, duration and request id, passing the request through unchanged', async () => {
    const calls: CallRecord[] = [];
    const base = fakeFetch(() => new Response('[]', { status: 200, headers: { 'x-request-id': 'f3c1a2b4-0000-4000-8000-000000000001' } }));
    const fetch = instrumentFetch(base.fn, describe_, (c) => calls.push(c), clock([100, 142.5]));
    const init = { method: 'GET', headers: { apikey: 'k', authorization: 'Bearer secret' } };
    const response = await fetch(`${API}/rest/v1/products?select=*`, init);
    expect(await response.text()).toBe('[]');
    expect(base.requests).toEqual([{ url: `${API}/rest/v1/products?select=*`, init }]);
    expect(calls).toEqual([
      { op: 'rest:products', method: 'GET', vendor: null, status: 200, code: null, ms: 42.5, requestId: 'f3c1a2b4-0000-4000-8000-000000000001', replayed: false },
    ]);
  });

  it('reads the error code of a failed call from its body, without consuming the body the app reads', async () => {
    const calls: CallRecord[] = [];
    const body = JSON.stringify({ code: 'insufficient_stock', message: 'Not enough stock available', details: null, hint: null });
    const base = fakeFetch(() => new Response(body, { status: 409, headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' } }));
    const fetch = instrumentFetch(base.fn, describe_, (c) => calls.push(c));
    const response = await fetch(`${API}/rest/v1/rpc/reserve_stock`, { method: 'POST', body: '{}' });
    expect(await response.json()).toMatchObject({ code: 'insufficient_stock' });
    await settle();
    expect(calls).toMatchObject([{ op: 'rpc:reserve_stock', status: 409, code: 'insufficient_stock', replayed: true }]);
  });

  it('keeps only codes that look like codes, and takes Auth\'s error_code', async () => {
    const calls: CallRecord[] = [];
    const bodies = [{ code: 'permission denied for someone@example.com' }, { error_code: 'invalid_credentials', code: 400 }, 'not json'];
    for (const body of bodies) {
      const fetch = instrumentFetch(fakeFetch(() => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 400 })).fn, describe_, (c) => calls.push(c));
      await fetch(`${API}/auth/v1/token?grant_type=password`, { method: 'POST' });
    }
    await settle();
    expect(calls.map((c) => c.code)).toEqual([null, 'invalid_credentials', null]);
  });

  it('reports a network failure as status 0 and rethrows the same error; an abort is not reported', async () => {
    const calls: CallRecord[] = [];
    const failure = new TypeError('Failed to fetch');
    const fetch = instrumentFetch(fakeFetch(() => new Response(), { error: failure }).fn, describe_, (c) => calls.push(c));
    await expect(fetch(`${API}/rest/v1/products`)).rejects.toBe(failure);
    expect(calls).toMatchObject([{ op: 'rest:products', status: 0, code: 'network_error' }]);

    const controller = new AbortController();
    controller.abort();
    const aborted = new DOMException('The operation was aborted.', 'AbortError');
    const abortingFetch = instrumentFetch(fakeFetch(() => new Response(), { error: aborted }).fn, describe_, (c) => calls.push(c));
    await expect(abortingFetch(`${API}/rest/v1/products`, { signal: controller.signal })).rejects.toBe(aborted);
    expect(calls).toHaveLength(1);
  });

  it('leaves requests to other hosts alone', async () => {
    const calls: CallRecord[] = [];
    const fetch = instrumentFetch(fakeFetch(() => new Response('ok')).fn, describe_, (c) => calls.push(c));
    await fetch('https://cdn.example.com/app.js');
    expect(calls).toEqual([]);
  });

  it('never lets telemetry break a request: a throwing describe or report still returns the response', async () => {
    const base = fakeFetch(() => new Response('fine'));
    const throwingDescribe = instrumentFetch(base.fn, () => { throw new Error('describe'); }, () => undefined);
    expect(await (await throwingDescribe(`${API}/rest/v1/products`)).text()).toBe('fine');
    const throwingReport = instrumentFetch(base.fn, describe_, () => { throw new Error('report'); });
    expect(await (await throwingReport(`${API}/rest/v1/products`)).text()).toBe('fine');
    const failing = instrumentFetch(fakeFetch(() => new Response('{}', { status: 500 })).fn, describe_, () => { throw new Error('report'); });
    expect((await failing(`${API}/rest/v1/products`)).status).toBe(500);
    await settle();
  });
});
