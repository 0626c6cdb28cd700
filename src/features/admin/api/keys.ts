import type { DashboardRange } from '../utils/ranges.ts';

export const monitoringKeys = {
  all: ['monitoring'] as const,
  model: () => [...monitoringKeys.all, 'model'] as const,
  healthNow: () => [...monitoringKeys.all, 'health-now'] as const,
  series: () => [...monitoringKeys.all, 'series'] as const,
  health: (range: DashboardRange) => [...monitoringKeys.series(), 'health', range] as const,
  api: (range: DashboardRange) => [...monitoringKeys.series(), 'api', range] as const,
  client: (range: DashboardRange) => [...monitoringKeys.series(), 'client', range] as const,
  database: (range: DashboardRange) => [...monitoringKeys.series(), 'database', range] as const,
  domain: (range: DashboardRange) => [...monitoringKeys.series(), 'domain', range] as const,
  operations: (range: DashboardRange) => [...monitoringKeys.all, 'operations', range] as const,
  vendors: (range: DashboardRange) => [...monitoringKeys.all, 'vendors', range] as const,
  errors: () => [...monitoringKeys.all, 'errors'] as const,
  statements: () => [...monitoringKeys.all, 'statements'] as const,
  alerts: () => [...monitoringKeys.all, 'alerts'] as const,
  clock: () => [...monitoringKeys.all, 'clock'] as const,
  canary: () => [...monitoringKeys.all, 'canary'] as const,
};
