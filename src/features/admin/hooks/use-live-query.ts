import { useQuery, type DefaultError, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { useMonitoringView } from '@/stores/monitoring-view.ts';
import { RANGES, type DashboardRange } from '../utils/ranges.ts';

/** The dashboard's own reads stay out of the client cache telemetry it shows. */
export const MONITORING_META = { telemetry: false } as const;

/**
 * A dashboard query that refreshes in place while the view is live (every few seconds, sooner for
 * shorter ranges) and not at all while it is paused: paused figures stay as they were.
 */
export function useLiveQuery<T, K extends QueryKey>(options: UseQueryOptions<T, DefaultError, T, K>, range: DashboardRange) {
  const paused = useMonitoringView((s) => s.paused);
  return useQuery({ ...options, meta: MONITORING_META, refetchInterval: paused ? false : RANGES[range].refreshMs, refetchOnWindowFocus: !paused });
}
