import { useQuery, type DefaultError, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import { useMonitoringView } from '@/stores/monitoring-view.ts';
import { RANGES, type DashboardRange } from '../utils/ranges.ts';

/**
 * A dashboard query that refreshes in place while the view is live (every few seconds, sooner for
 * shorter ranges) and not at all while it is paused: paused figures stay as they were.
 */
export function useLiveQuery<T, K extends QueryKey>(options: UseQueryOptions<T, DefaultError, T, K>, range: DashboardRange) {
  const paused = useMonitoringView((s) => s.paused);
  return useQuery({ ...options, refetchInterval: paused ? false : RANGES[range].refreshMs, refetchOnWindowFocus: !paused });
}
