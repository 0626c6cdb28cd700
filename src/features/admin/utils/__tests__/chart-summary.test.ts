import { describe, expect, it } from 'vitest';
import { describeSeries, summarizeSeries } from '../chart-summary.ts';

const points = (values: Array<number | null>) => values.map((v, i) => ({ t: i * 60_000, v }));

describe('summarizeSeries', () => {
  it('takes the latest value, the extremes and the trend, skipping gaps', () => {
    expect(summarizeSeries(points([10, null, 20, 30, 40, 50, null]), 'v')).toEqual({ latest: 50, min: 10, max: 50, trend: 'rising' });
    expect(summarizeSeries(points([90, 80, 40, 20, 10, 5]), 'v')).toMatchObject({ latest: 5, trend: 'falling' });
    expect(summarizeSeries(points([10, 11, 10, 10, 11, 10]), 'v')).toMatchObject({ trend: 'steady' });
    expect(summarizeSeries(points([7]), 'v')).toEqual({ latest: 7, min: 7, max: 7, trend: 'steady' });
  });

  it('is null without values', () => {
    expect(summarizeSeries(points([null, null]), 'v')).toBeNull();
    expect(summarizeSeries([], 'v')).toBeNull();
  });
});

describe('describeSeries', () => {
  it('says it in a sentence, in the series unit', () => {
    const summary = summarizeSeries(points([12, 40, 80]), 'v');
    expect(describeSeries('p95', summary, (v) => `${v} ms`)).toBe('p95: latest 80 ms, lowest 12 ms, highest 80 ms, rising');
    expect(describeSeries('p95', null, String)).toBe('p95: no data');
  });
});
