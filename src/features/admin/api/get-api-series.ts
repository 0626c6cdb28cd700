import { queryOptions } from '@tanstack/react-query';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { getSeries } from './get-series.ts';
import { monitoringKeys } from './keys.ts';
import type { ApiPoint } from './rows.ts';

export const apiSeriesQueryOptions = (range: DashboardRange) =>
  queryOptions({ queryKey: monitoringKeys.api(range), queryFn: ({ signal }) => getSeries<ApiPoint>('admin_api_series', range, signal) });

export const useApiSeries = (range: DashboardRange) => useLiveQuery(apiSeriesQueryOptions(range), range);
