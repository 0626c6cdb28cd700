import { queryOptions } from '@tanstack/react-query';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { getSeries } from './get-series.ts';
import { monitoringKeys } from './keys.ts';
import type { DomainPoint } from './rows.ts';

export const domainSeriesQueryOptions = (range: DashboardRange) =>
  queryOptions({ queryKey: monitoringKeys.domain(range), queryFn: ({ signal }) => getSeries<DomainPoint>('admin_domain_series', range, signal) });

export const useDomainSeries = (range: DashboardRange) => useLiveQuery(domainSeriesQueryOptions(range), range);
