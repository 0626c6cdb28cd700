import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { db, stack } from '../../stack/tests/support.ts';
import { TelemetryCollector, type Batch } from '../../src/lib/telemetry/collector.ts';
import { instrumentFetch } from '../../src/lib/telemetry/instrument-fetch.ts';
import { describeRequest } from '../../src/lib/telemetry/operation.ts';
import { batchSender } from '../../src/lib/telemetry/send-batch.ts';
import { createTenant, createUser, newKey, restock } from './helpers/fixtures.ts';

// The SPA's telemetry pipeline in Node against the real stack: supabase-js calls go through the
// instrumented fetch into the collector, which posts its batch to ingest_telemetry; what the
// database stored matches what happened, request ids included.

describe('the SPA telemetry pipeline', () => {
  it('measures supabase-js calls and stores them, failed ones with the request id the API answered', async () => {
    const tenant = await createTenant({ locations: 1 });
    await restock(tenant.productIds[0]!, tenant.locationIds[0]!, 5);
    const shopper = await createUser();

    const answeredIds: string[] = [];
    const plainFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      answeredIds.push(response.headers.get('x-request-id') ?? '');
      return response;
    };
    const batches: Batch[] = [];
    const sent: Array<Promise<unknown>> = [];
    const post = batchSender({ apiUrl: stack().apiUrl, anonKey: stack().anonKey, accessToken: () => shopper.token, baseFetch: fetch });
    const collector = new TelemetryCollector({
      send: (batch, opts) => {
        batches.push(batch);
        const done = post(batch, opts);
        sent.push(done);
        return done;
      },
    });
    const client = createClient(stack().apiUrl, stack().anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
      accessToken: async () => shopper.token,
      global: { fetch: instrumentFetch(plainFetch, (url, method) => describeRequest(url, method, stack().apiUrl), (c) => collector.recordCall(c)) },
    });

    const read = await client.from('product_availability').select('product_id, available').eq('product_id', tenant.productIds[0]!);
    expect(read.data).toEqual([{ product_id: tenant.productIds[0], available: 5 }]);
    const refused = await client.rpc('reserve_stock', { product_id: tenant.productIds[0], quantity: 50, idempotency_key: newKey() });
    expect(refused.error?.code).toBe('insufficient_stock');
    const refusedId = answeredIds.at(-1)!;
    const reserved = await client.rpc('reserve_stock', { product_id: tenant.productIds[0], quantity: 2, idempotency_key: newKey() });
    expect(reserved.error).toBeNull();
    const missing = await client.rpc('no_such_function' as never);
    expect(missing.status).toBe(404);
    const missingId = answeredIds.at(-1)!;

    // The error codes are read from the bodies after the app got them: give those reads a turn.
    await new Promise((r) => setTimeout(r, 50));
    collector.flushNow();
    await Promise.all(sent);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.api.map((c) => [c.op, c.method, c.status, c.code])).toEqual([
      ['rest:product_availability', 'GET', 200, null],
      ['rpc:reserve_stock', 'POST', 200, null],
      ['rpc:reserve_stock', 'POST', 409, 'insufficient_stock'],
      ['rpc:no_such_function', 'POST', 404, 'PGRST202'],
    ]);

    const { rows: errors } = await db().query(
      `select operation, status, code, outcome, anon from private.telemetry_errors where request_id = any ($1) order by status`,
      [[refusedId, missingId]],
    );
    expect(errors).toEqual([
      { operation: 'rpc:no_such_function', status: 404, code: 'PGRST202', outcome: 'error', anon: false },
      { operation: 'rpc:reserve_stock', status: 409, code: 'insufficient_stock', outcome: 'rejected', anon: false },
    ]);
    // The reservation's ledger row carries the id of the request that made it, as the API answered it.
    const { rows: ledger } = await db().query(`select request_id from public.stock_movements where product_id = $1 and kind = 'reservation'`, [tenant.productIds[0]]);
    expect(ledger.map((r) => r.request_id)).toEqual([answeredIds[2]]);
  });
});
