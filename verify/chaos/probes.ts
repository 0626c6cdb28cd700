// Realtime probes: supabase-js clients on a vendor's public availability topic, as the shop page
// subscribes: on every (re)join they read a snapshot of the product, then apply its events. A
// suite measures how long they take to rejoin after a crash and to see a change made after it.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { waitFor } from '../stack-process.ts';

interface Probe {
  client: SupabaseClient;
  /** Times (performance.now()) of every SUBSCRIBED. */
  joins: number[];
  /** Times the channel left SUBSCRIBED (CHANNEL_ERROR, TIMED_OUT, CLOSED). */
  drops: number[];
  /** The product's availability version as this client knows it (snapshot or event). */
  version: number;
  status: string;
}

export interface Probes {
  /**
   * After a crash at `crashedAt` and recovery at `back`: ms from `back` until every probe whose
   * channel dropped since the crash has joined again (0 for one already back or never dropped),
   * or undefined; and how many dropped.
   */
  rejoined(crashedAt: number, back: number, timeoutMs: number): Promise<{ ms: number | undefined; dropped: number }>;
  /** Ms from `since` until every probe knows the product at `version` or later, or undefined. */
  sawVersion(version: number, since: number, timeoutMs: number): Promise<number | undefined>;
  statuses(): string[];
  stop(): Promise<void>;
}

export async function startProbes(apiUrl: string, anonKey: string, vendorId: string, productId: string, count: number): Promise<Probes> {
  const probes: Probe[] = [];
  for (let i = 0; i < count; i++) {
    const client = createClient(apiUrl, anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    });
    const probe: Probe = { client, joins: [], drops: [], version: 0, status: 'new' };
    const snapshot = async () => {
      const { data } = await client.from('product_availability').select('version').eq('product_id', productId).maybeSingle();
      if (data?.version) probe.version = Math.max(probe.version, Number(data.version));
    };
    client
      .channel(`vendor:${vendorId}:availability`)
      .on('broadcast', { event: 'availability' }, ({ payload }) => {
        const event = payload as { product_id?: string; version?: number };
        if (event.product_id === productId && typeof event.version === 'number') probe.version = Math.max(probe.version, event.version);
      })
      .subscribe((status) => {
        probe.status = status;
        if (status === 'SUBSCRIBED') {
          probe.joins.push(performance.now());
          // Events may have been missed while (re)joining: read a snapshot, as the shop does.
          void snapshot();
        } else probe.drops.push(performance.now());
      });
    probes.push(probe);
  }
  if ((await waitFor(() => probes.every((p) => p.joins.length > 0), 15_000)) === undefined) throw new Error('the realtime probes did not join within 15 s');
  const since = (times: number[], t: number) => times.find((x) => x >= t);
  return {
    async rejoined(crashedAt, back, timeoutMs) {
      const dropped = () => probes.filter((p) => since(p.drops, crashedAt) !== undefined);
      const ok = await waitFor(() => probes.every((p) => p.status === 'SUBSCRIBED'), timeoutMs);
      const n = dropped().length;
      if (ok === undefined) return { ms: undefined, dropped: n };
      return { ms: Math.round(Math.max(0, ...dropped().map((p) => p.joins.at(-1)! - back))), dropped: n };
    },
    async sawVersion(version, from, timeoutMs) {
      const ok = await waitFor(() => probes.every((p) => p.version >= version), timeoutMs);
      return ok === undefined ? undefined : Math.round(performance.now() - from);
    },
    statuses: () => probes.map((p) => p.status),
    async stop() {
      for (const p of probes) {
        await p.client.removeAllChannels().catch(() => undefined);
        p.client.realtime.disconnect();
      }
    },
  };
}
