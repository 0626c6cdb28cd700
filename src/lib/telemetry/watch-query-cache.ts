import type { QueryClient } from '@tanstack/react-query';
import { queryKeyRoot, type TelemetryCollector } from './collector.ts';

/**
 * Counts react-query reads served from the cache against network fetches: each observer that
 * starts reading a query (a component mounting useQuery) is a hit when the data is cached and
 * fresh, a stale hit when cached but due for a refetch, a miss when nothing is cached; each fetch
 * that starts is a fetch. Counted per query key root ('catalog', 'auth', ...). Queries with
 * `meta: { telemetry: false }` are left out (the admin dashboard does not watch itself). Returns
 * the way to stop.
 */
export function watchQueryCache(queryClient: QueryClient, collector: Pick<TelemetryCollector, 'recordCacheRead' | 'recordFetch'>): () => void {
  return queryClient.getQueryCache().subscribe((event) => {
    try {
      if (event.query.meta?.telemetry === false) return;
      if (event.type === 'observerAdded') {
        const key = queryKeyRoot(event.query.queryKey);
        if (event.query.state.data === undefined) collector.recordCacheRead(key, 'miss');
        else collector.recordCacheRead(key, event.observer.getCurrentResult().isStale ? 'stale' : 'hit');
      } else if (event.type === 'updated' && event.action.type === 'fetch') {
        collector.recordFetch(queryKeyRoot(event.query.queryKey));
      }
    } catch {
      // Telemetry must never break the app.
    }
  });
}
