import type { ChartPoint } from '@/components/charts/time-series-chart.tsx';

// A chart's text alternative: per series, the latest value, the lowest and highest, and which
// way it went, so a screen reader (or anyone) gets what the picture shows.

export interface SeriesSummary {
  latest: number;
  min: number;
  max: number;
  trend: 'rising' | 'falling' | 'steady';
}

/** null when the series has no values. The trend compares the mean of the last third with the first third (±10 % of the range is steady). */
export function summarizeSeries(points: readonly ChartPoint[], key: string): SeriesSummary | null {
  const values = points.map((p) => p[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) return null;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const third = Math.max(1, Math.floor(values.length / 3));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const change = mean(values.slice(-third)) - mean(values.slice(0, third));
  const band = (max - min) * 0.1;
  const trend = values.length < 2 || Math.abs(change) <= band || change === 0 ? 'steady' : change > 0 ? 'rising' : 'falling';
  return { latest: values.at(-1)!, min, max, trend };
}

/** "p95: latest 42 ms, lowest 12 ms, highest 80 ms, rising" (or "no data"). */
export function describeSeries(label: string, summary: SeriesSummary | null, format: (value: number) => string): string {
  if (!summary) return `${label}: no data`;
  return `${label}: latest ${format(summary.latest)}, lowest ${format(summary.min)}, highest ${format(summary.max)}, ${summary.trend}`;
}
