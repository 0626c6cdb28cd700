import type { SupabaseClient } from '@supabase/supabase-js';
import type { QueryClient } from '@tanstack/react-query';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { TelemetryCollector } from './collector.ts';
import { instrumentFetch } from './instrument-fetch.ts';
import { describeRequest } from './operation.ts';
import { batchSender } from './send-batch.ts';
import { watchQueryCache } from './watch-query-cache.ts';

export interface Telemetry {
  /** The fetch to give supabase-js (`global.fetch`): measures every call to the project. */
  fetch: typeof fetch;
  /** Follows the session (its token authenticates the batches), the live channels and page hiding. */
  start(client: SupabaseClient): void;
  watchQueryCache(queryClient: QueryClient): () => void;
  /** Realtime lag on the server's clock, in ms (the admin page's canary). */
  recordLag(ms: number): void;
}

/**
 * Real-user telemetry for the one supabase client: calls, cache reads and realtime channels,
 * batched into public.ingest_telemetry with `keepalive` (so the last batch survives closing the
 * tab). Sending uses the plain fetch, so the batches never measure themselves.
 */
export function createTelemetry(opts: { apiUrl: string; anonKey: string; enabled: boolean; baseFetch?: typeof fetch }): Telemetry {
  const baseFetch = opts.baseFetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  if (!opts.enabled) {
    return { fetch: baseFetch, start: () => undefined, watchQueryCache: () => () => undefined, recordLag: () => undefined };
  }
  let accessToken: string | null = null;
  const send = batchSender({ apiUrl: opts.apiUrl, anonKey: opts.anonKey, accessToken: () => accessToken, baseFetch });
  const collector = new TelemetryCollector({ send });
  const pageSearch = () => (typeof location === 'undefined' ? undefined : location.search);

  return {
    fetch: instrumentFetch(baseFetch, (url, method) => describeRequest(url, method, opts.apiUrl, pageSearch()), (call) => collector.recordCall(call)),
    start(client) {
      client.auth.onAuthStateChange((_event, session) => {
        accessToken = session?.access_token ?? null;
      });
      collector.channelsChanged(useLiveConnection.getState().channels);
      useLiveConnection.subscribe((state) => collector.channelsChanged(state.channels));
      if (typeof document !== 'undefined') {
        document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && collector.flushNow());
        window.addEventListener('pagehide', () => collector.flushNow());
      }
    },
    watchQueryCache: (queryClient) => watchQueryCache(queryClient, collector),
    recordLag: (ms) => collector.recordLag(ms),
  };
}
