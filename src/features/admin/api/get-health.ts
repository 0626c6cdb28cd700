import { queryOptions } from '@tanstack/react-query';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import { NOW_WINDOW_SECONDS, type DashboardRange } from '../utils/ranges.ts';
import { getSeries } from './get-series.ts';
import { monitoringKeys } from './keys.ts';
import type { HealthRow } from './rows.ts';

/** The score now: one step over the last 5 minutes. */
export const healthNowQueryOptions = () =>
  queryOptions({
    queryKey: monitoringKeys.healthNow(),
    queryFn: async ({ signal }) => (await getSeries<HealthRow>('admin_health', { seconds: NOW_WINDOW_SECONDS, stepSeconds: NOW_WINDOW_SECONDS }, signal))[0] ?? null,
  });

export const healthSeriesQueryOptions = (range: DashboardRange) =>
  queryOptions({ queryKey: monitoringKeys.health(range), queryFn: ({ signal }) => getSeries<HealthRow>('admin_health', range, signal) });

export const useHealthNow = (range: DashboardRange) => useLiveQuery(healthNowQueryOptions(), range);
export const useHealthSeries = (range: DashboardRange) => useLiveQuery(healthSeriesQueryOptions(range), range);
