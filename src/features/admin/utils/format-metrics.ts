import { formatCount } from '@/lib/format.ts';

// How monitoring figures read: ms below a second and s above, percentages of ratios, bytes in
// binary units, rates per second; the exact form (for tooltips and tables) keeps more digits.

const decimals = (n: number, digits: number) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n);

export type Unit = 'ms' | 'ratio' | 'perSecond' | 'perMinute' | 'count' | 'bytes' | 'seconds' | 'score';

export function formatMs(ms: number, exact = false): string {
  if (ms < 1000) return `${decimals(ms, exact || ms < 10 ? 2 : 1)} ms`;
  return `${decimals(ms / 1000, exact ? 3 : ms < 10_000 ? 2 : 1)} s`;
}

export function formatRatio(ratio: number, exact = false): string {
  return `${decimals(ratio * 100, exact ? 3 : ratio > 0.99 && ratio < 1 ? 2 : 1)} %`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${decimals(value, unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatMetric(value: number | null | undefined, unit: Unit, exact = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'ms':
      return formatMs(value, exact);
    case 'ratio':
      return formatRatio(value, exact);
    case 'perSecond':
      return `${decimals(value, exact ? 3 : value < 10 ? 2 : 1)}/s`;
    case 'perMinute':
      return `${decimals(value, exact ? 3 : value < 10 ? 1 : 0)}/min`;
    case 'count':
      return exact ? decimals(value, 2) : formatCount(Math.round(value));
    case 'bytes':
      return exact ? `${formatCount(Math.round(value))} B` : formatBytes(value);
    case 'seconds':
      return `${decimals(value, exact ? 3 : 1)} s`;
    case 'score':
      return decimals(value, exact ? 2 : 0);
  }
}

/** 0.97 for a component score. */
export const formatScore = (score: number | null) => (score === null ? '–' : score.toFixed(2));

/** The time of day of a step (14:05), with the date for ranges over a day. */
export function formatStepTime(at: number, withDate = false): string {
  return new Intl.DateTimeFormat('en-US', withDate ? { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false } : { hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}
