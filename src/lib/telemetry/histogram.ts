// Fixed log-spaced latency histograms, the same buckets as the database's rollups
// (supabase/migrations/*_telemetry.sql): bucket 1 is [0, 1) ms, bucket i (2..65) is
// [2^((i-2)/4), 2^((i-1)/4)) ms, quarter octaves 19 % wide, bucket 66 is [65.536 s, ...).
// Histograms of the same buckets merge by adding them, and a quantile read from one is within
// the width of the bucket that holds the true value.

export const BUCKET_COUNT = 66;

// 2^(k/4) as 2^(k div 4) times one of these, so the bounds are bit for bit the database's (pow()
// differs in the last digit between libm and JavaScript engines).
const QUARTER_OCTAVES = [1, 1.189207115002721, 1.4142135623730951, 1.681792830507429];

/** Lower bounds of buckets 2..66, in ms. */
export const LOWER_BOUNDS: readonly number[] = Array.from({ length: BUCKET_COUNT - 1 }, (_, k) => 2 ** Math.floor(k / 4) * QUARTER_OCTAVES[k % 4]!);

/** Counts per bucket; index 0 is bucket 1. */
export type Histogram = number[];

export const emptyHistogram = (): Histogram => new Array<number>(BUCKET_COUNT).fill(0);

/** The bucket (1..66) of a duration in ms. */
export function bucketOf(ms: number): number {
  let lo = 0;
  let hi = LOWER_BOUNDS.length;
  // The number of lower bounds <= ms, by binary search.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (LOWER_BOUNDS[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** [lower, upper) of a bucket in ms; the last one is open. */
export function bucketRange(bucket: number): [number, number] {
  if (bucket <= 1) return [0, 1];
  return [LOWER_BOUNDS[bucket - 2]!, bucket >= BUCKET_COUNT ? Infinity : LOWER_BOUNDS[bucket - 1]!];
}

export function record(histogram: Histogram, ms: number, weight = 1): void {
  histogram[bucketOf(ms) - 1]! += weight;
}

/**
 * The q-quantile (0 < q <= 1), or null when empty: the bucket where the cumulative count first
 * reaches q * total holds the nearest-rank value; the estimate interpolates inside it
 * (geometrically, linearly in [0, 1) ms). The open last bucket answers its lower bound.
 */
export function quantile(histogram: Histogram, q: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(q, 0) * total;
  let seen = 0;
  for (let i = 0; i < BUCKET_COUNT; i++) {
    const count = histogram[i] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const fraction = Math.max((rank - seen) / count, 0);
      const [lower, upper] = bucketRange(i + 1);
      if (i === 0) return fraction;
      if (upper === Infinity) return lower;
      return lower * (upper / lower) ** fraction;
    }
    seen += count;
  }
  return LOWER_BOUNDS[LOWER_BOUNDS.length - 1]!;
}
