import { describe, expect, it } from 'vitest';
import type { HealthRow, ModelRow } from '../../api/rows.ts';
import { bandOf, contributions, describeMeasurement } from '../health.ts';

const model: ModelRow[] = [
  { component: 'latency', label: 'Latency', weight: 30, measure: '', unit: 'ratio', xs: [], ys: [], source: '' },
  { component: 'errors', label: 'Errors', weight: 25, measure: '', unit: 'ratio', xs: [], ys: [], source: '' },
  { component: 'cache', label: 'Cache', weight: 20, measure: '', unit: 'ratio', xs: [], ys: [], source: '' },
  { component: 'lag', label: 'Realtime lag', weight: 15, measure: '', unit: 'ms', xs: [], ys: [], source: '' },
  { component: 'saturation', label: 'Saturation', weight: 10, measure: '', unit: 'ratio', xs: [], ys: [], source: '' },
];

function row(overrides: Partial<HealthRow>): HealthRow {
  return {
    bucket: '2026-12-02T10:00:00Z', score: null, band: null, capped: false, requests: 0,
    apdex: null, latency_score: null, error_rate: null, errors_score: null, cache_hit_ratio: null, cache_score: null,
    lag_p95_ms: null, lag_score: null, saturation: null, saturation_score: null, ...overrides,
  };
}

describe('contributions to the health score', () => {
  it('add up to the score: 100 × weight × component score over the weights with data', () => {
    const r = row({ apdex: 0.85, latency_score: 0.8, error_rate: 0.03, errors_score: 0.65, cache_hit_ratio: 0.97, cache_score: 0.7, lag_p95_ms: 5500, lag_score: 0.65, saturation: 0.7, saturation_score: 0.9 });
    const parts = contributions(r, model);
    expect(parts.map((p) => [p.component, p.points])).toEqual([
      ['latency', 24], ['errors', 16.25], ['cache', 14.000000000000002], ['lag', 9.75], ['saturation', 9],
    ].map(([c, p]) => [c, expect.closeTo(p as number, 9)]));
    expect(parts.reduce((s, p) => s + (p.points ?? 0), 0)).toBeCloseTo(73, 9);
    expect(parts.map((p) => p.band)).toEqual(['healthy', 'degraded', 'degraded', 'degraded', 'healthy']);
  });

  it('leave components without data out, re-weighing the others', () => {
    const parts = contributions(row({ apdex: 1, latency_score: 1, error_rate: 0, errors_score: 1, cache_hit_ratio: 0.97, cache_score: 0.7 }), model);
    expect(parts.map((p) => p.points)).toEqual([40, expect.closeTo(33.333, 3), expect.closeTo(18.667, 3), null, null]);
    expect(contributions(null, model).every((p) => p.points === null && p.band === null)).toBe(true);
  });
});

describe('bands', () => {
  it.each([[1, 'healthy'], [0.8, 'healthy'], [0.79, 'degraded'], [0.5, 'degraded'], [0.49, 'failing'], [null, null]])('%s is %s', (score, band) => {
    expect(bandOf(score)).toBe(band);
  });
});

describe('measurements in their own terms', () => {
  it.each([
    ['latency', 0.9666, 'Apdex 0.97'],
    ['errors', 0.004, '0.4 % failed'],
    ['cache', 0.9962, '99.62 % hit'],
    ['lag', 88.2, 'p95 88.2 ms'],
    ['saturation', 0.12, '12 % of connections'],
    ['lag', null, 'no data'],
  ] as const)('%s %s reads %j', (component, value, text) => expect(describeMeasurement(component, value)).toBe(text));
});
