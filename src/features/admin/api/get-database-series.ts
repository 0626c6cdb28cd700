import { queryOptions } from '@tanstack/react-query';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { getSeries } from './get-series.ts';
import { monitoringKeys } from './keys.ts';
import type { DatabasePoint } from './rows.ts';

export const databaseSeriesQueryOptions = (range: DashboardRange) =>
  queryOptions({ queryKey: monitoringKeys.database(range), queryFn: ({ signal }) => getSeries<DatabasePoint>('admin_database_series', range, signal) });

export const useDatabaseSeries = (range: DashboardRange) => useLiveQuery(databaseSeriesQueryOptions(range), range);
