import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, bucketOf, bucketRange, emptyHistogram, LOWER_BOUNDS, quantile, record } from '../histogram.ts';

describe('latency histogram buckets', () => {
  it('are quarter octaves from 1 ms to 65.536 s, with a bucket below and one open above', () => {
    expect(LOWER_BOUNDS).toHaveLength(BUCKET_COUNT - 1);
    expect(LOWER_BOUNDS[0]).toBe(1);
    expect(LOWER_BOUNDS[4]).toBe(2);
    expect(LOWER_BOUNDS[32]).toBe(256);
    expect(LOWER_BOUNDS[64]).toBe(65_536);
    for (let i = 1; i < LOWER_BOUNDS.length; i++) expect(LOWER_BOUNDS[i]! / LOWER_BOUNDS[i - 1]!).toBeCloseTo(2 ** 0.25, 12);
  });

  it.each([
    [0, 1], [0.999, 1], [1, 2], [1.18, 2], [1.19, 3], [255.99, 33], [256, 34], [1024, 42], [65_535, 65], [65_536, 66], [1e9, 66],
  ])('%d ms is in bucket %d', (ms, bucket) => {
    expect(bucketOf(ms)).toBe(bucket);
    const [lower, upper] = bucketRange(bucket);
    expect(ms >= lower && ms < upper).toBe(true);
  });
});

describe('quantiles from a histogram', () => {
  it('are null for an empty histogram', () => expect(quantile(emptyHistogram(), 0.5)).toBeNull());

  it('are within one bucket width of the true value, on any data', () => {
    let seed = 42;
    const next = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const values = Array.from({ length: 5000 }, () => Math.exp(next() * 12) / 20);
    const histogram = emptyHistogram();
    for (const v of values) record(histogram, v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const [lower, upper] = bucketRange(bucketOf(exact));
      const estimate = quantile(histogram, q)!;
      expect(estimate).toBeGreaterThanOrEqual(lower);
      expect(estimate).toBeLessThanOrEqual(upper === Infinity ? lower : upper);
    }
  });

  it('interpolate inside the bucket, and answer the lower bound of the open last bucket', () => {
    const h = emptyHistogram();
    record(h, 100, 4);
    const [lower, upper] = bucketRange(bucketOf(100));
    expect(quantile(h, 0.5)).toBeCloseTo(lower * (upper / lower) ** 0.5, 9);
    expect(quantile(h, 1)).toBeCloseTo(upper, 9);
    const open = emptyHistogram();
    record(open, 100_000);
    expect(quantile(open, 0.99)).toBe(65_536);
  });

  it('come out the same from histograms added bucket by bucket as from one of all the values', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    const all = emptyHistogram();
    [3, 30, 300].forEach((v) => (record(a, v), record(all, v)));
    [4, 40, 4000].forEach((v) => (record(b, v), record(all, v)));
    const added = a.map((n, i) => n + b[i]!);
    expect(added).toEqual(all);
    expect(quantile(added, 0.5)).toBe(quantile(all, 0.5));
  });
});
