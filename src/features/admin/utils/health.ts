import type { HealthRow, ModelRow } from '../api/rows.ts';
import { formatMetric } from './format-metrics.ts';

// How the page explains the score the database computed (admin_health, admin_health_model): each
// component's measurement, its score in [0, 1], its weight, and the points it adds.

export type Band = 'healthy' | 'degraded' | 'failing';

/** Score bands, as the database draws them: components at 0.8 and 0.5, the total at 80 and 50. */
export const BAND_FLOORS = { healthy: 0.8, degraded: 0.5 } as const;
export const FAILING_CAP = 49;

export function bandOf(score: number | null): Band | null {
  if (score === null) return null;
  return score >= BAND_FLOORS.healthy ? 'healthy' : score >= BAND_FLOORS.degraded ? 'degraded' : 'failing';
}

const FIELDS = {
  latency: { value: 'apdex', score: 'latency_score' },
  errors: { value: 'error_rate', score: 'errors_score' },
  cache: { value: 'cache_hit_ratio', score: 'cache_score' },
  lag: { value: 'lag_p95_ms', score: 'lag_score' },
  saturation: { value: 'saturation', score: 'saturation_score' },
} as const satisfies Record<string, { value: keyof HealthRow; score: keyof HealthRow }>;

export type Component = keyof typeof FIELDS;

export interface Contribution {
  component: string;
  label: string;
  weight: number;
  value: number | null;
  score: number | null;
  /** Points of the 0-100 score this component adds (null without data). */
  points: number | null;
  band: Band | null;
}

const isComponent = (name: string): name is Component => name in FIELDS;

/** Each component's share of the score: 100 × weight × score ÷ the weights of the components with data. */
export function contributions(row: HealthRow | null, model: readonly ModelRow[]): Contribution[] {
  const parts = model.map((m) => {
    const fields = isComponent(m.component) ? FIELDS[m.component] : null;
    const value = row && fields ? (row[fields.value] as number | null) : null;
    const score = row && fields ? (row[fields.score] as number | null) : null;
    return { component: m.component, label: m.label, weight: m.weight, value, score };
  });
  const weights = parts.reduce((sum, p) => sum + (p.score === null ? 0 : p.weight), 0);
  return parts.map((p) => ({ ...p, points: p.score === null || weights === 0 ? null : (100 * p.weight * p.score) / weights, band: bandOf(p.score) }));
}

/** What a component measured, in its own terms: "Apdex 0.97", "0.4 % failed", "p95 88 ms". */
export function describeMeasurement(component: string, value: number | null): string {
  if (value === null) return 'no data';
  switch (component) {
    case 'latency':
      return `Apdex ${value.toFixed(2)}`;
    case 'errors':
      return `${formatMetric(value, 'ratio')} failed`;
    case 'cache':
      return `${formatMetric(value, 'ratio')} hit`;
    case 'lag':
      return `p95 ${formatMetric(value, 'ms')}`;
    case 'saturation':
      return `${formatMetric(value, 'ratio')} of connections`;
    default:
      return formatMetric(value, 'count');
  }
}

/** An anchor of the piecewise-linear score ("0.85 → 0.8"), in the component's unit. */
export function describeAnchor(unit: string, x: number): string {
  return unit === 'ms' ? formatMetric(x, 'ms') : unit === 'ratio' && x <= 1 ? formatMetric(x, 'ratio', false) : String(x);
}
