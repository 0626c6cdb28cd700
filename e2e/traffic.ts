import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { TelemetryCollector } from '../src/lib/telemetry/collector.ts';
import { instrumentFetch } from '../src/lib/telemetry/instrument-fetch.ts';
import { describeRequest } from '../src/lib/telemetry/operation.ts';
import { batchSender } from '../src/lib/telemetry/send-batch.ts';
import { env } from './support.ts';

/**
 * A shopper whose supabase-js calls report telemetry exactly as the SPA's do (the same fetch
 * wrapper, collector and sender), for tests that need traffic on the admin dashboard without
 * depending on the simulator.
 */
export class TrafficShopper {
  private constructor(
    readonly client: SupabaseClient,
    private readonly collector: TelemetryCollector,
    private readonly sends: Array<Promise<unknown>>,
  ) {}

  static async signIn(email: string, password: string): Promise<TrafficShopper> {
    let token: string | null = null;
    const sends: Array<Promise<unknown>> = [];
    const post = batchSender({ apiUrl: env('E2E_API_URL'), anonKey: env('E2E_ANON_KEY'), accessToken: () => token, baseFetch: fetch });
    const collector = new TelemetryCollector({
      send: (batch, opts) => {
        const sent = post(batch, opts);
        sends.push(sent);
        return sent;
      },
    });
    const client = createClient(env('E2E_API_URL'), env('E2E_ANON_KEY'), {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
      global: { fetch: instrumentFetch(fetch, (url, method) => describeRequest(url, method, env('E2E_API_URL')), (call) => collector.recordCall(call)) },
    });
    const { data, error } = await client.auth.signInWithPassword({ email, password });
    if (error) throw error;
    token = data.session.access_token;
    return new TrafficShopper(client, collector, sends);
  }

  /** Reads the catalog and reserves then releases one unit of `productId`, `times` over. */
  async browseAndReserve(productId: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      const read = await this.client.from('product_availability').select('product_id, available').eq('product_id', productId);
      if (read.error) throw read.error;
      const reserved = await this.client.rpc('reserve_stock', { product_id: productId, quantity: 1, idempotency_key: randomUUID() });
      if (reserved.error) throw reserved.error;
      const released = await this.client.rpc('release_reservation', { reservation_id: (reserved.data as { id: string }).id, idempotency_key: randomUUID() });
      if (released.error) throw released.error;
    }
  }

  /** Calls a function that does not exist: real 404s the dashboard counts as errors. */
  async fail(times: number, name = 'e2e_missing_function'): Promise<void> {
    for (let i = 0; i < times; i++) {
      const { status } = await this.client.rpc(name as never);
      if (status !== 404) throw new Error(`expected a 404 from ${name}, got ${status}`);
    }
  }

  /** Sends what was measured (as a tab being hidden would) and waits until the database has it. */
  async flush(): Promise<void> {
    // Error codes are read from response bodies after the app got them: give those reads a turn.
    await new Promise((r) => setTimeout(r, 50));
    this.collector.flushNow();
    await Promise.all(this.sends.splice(0));
  }
}
