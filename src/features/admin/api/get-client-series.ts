import { queryOptions } from '@tanstack/react-query';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { getSeries } from './get-series.ts';
import { monitoringKeys } from './keys.ts';
import type { ClientPoint } from './rows.ts';

export const clientSeriesQueryOptions = (range: DashboardRange) =>
  queryOptions({ queryKey: monitoringKeys.client(range), queryFn: ({ signal }) => getSeries<ClientPoint>('admin_client_series', range, signal) });

export const useClientSeries = (range: DashboardRange) => useLiveQuery(clientSeriesQueryOptions(range), range);
