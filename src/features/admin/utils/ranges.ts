export type DashboardRange = '15m' | '1h' | '24h';

export interface RangeSpec {
  label: string;
  /** For titles: "API latency over the last hour". */
  phrase: string;
  seconds: number;
  stepSeconds: number;
  /** How often live charts refresh. */
  refreshMs: number;
}

export const RANGES: Record<DashboardRange, RangeSpec> = {
  '15m': { label: '15 min', phrase: 'last 15 minutes', seconds: 900, stepSeconds: 60, refreshMs: 5_000 },
  '1h': { label: '1 h', phrase: 'last hour', seconds: 3600, stepSeconds: 60, refreshMs: 10_000 },
  // Whole hours: read from the hourly rollups, 60 times fewer rows than minutes.
  '24h': { label: '24 h', phrase: 'last 24 hours', seconds: 86_400, stepSeconds: 3600, refreshMs: 30_000 },
};

export const DEFAULT_RANGE: DashboardRange = '1h';

export function parseRange(value: string | null): DashboardRange {
  return value === '15m' || value === '1h' || value === '24h' ? value : DEFAULT_RANGE;
}

/** How the score and the tables are evaluated "now": the last 5 minutes. */
export const NOW_WINDOW_SECONDS = 300;
