import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../call.ts';
import { Pacer } from '../pacer.ts';

describe('Pacer', () => {
  it('lets a burst through, then one call per interval (5% slower than the server)', () => {
    const pacer = new Pacer(60, 60, 3);
    const t0 = 1_000_000;
    expect([pacer.tryTake(t0), pacer.tryTake(t0), pacer.tryTake(t0), pacer.tryTake(t0)]).toEqual([true, true, true, false]);
    expect(pacer.ready(t0 + 1000)).toBe(false);
    expect(pacer.tryTake(t0 + 1050)).toBe(true);
    expect(pacer.tryTake(t0 + 1050)).toBe(false);
  });

  it('stays under the server limit even when its calls reach the server up to 3 s late', () => {
    const pacer = Pacer.forServerLimit(60, 60);
    const sent: number[] = [];
    for (let t = 0; t < 180_000; t += 10) while (pacer.tryTake(t)) sent.push(t);
    expect(sent.filter((t) => t === 0)).toHaveLength(48);
    // The server's GCRA (private.check_rate_limit): bursts of 60, 60 per 60 s.
    let seed = 7;
    const lag = () => ((seed = (seed * 48271) % 2147483647) % 3000);
    let tat = 0;
    const refused = sent.map((t) => t + lag()).sort((a, b) => a - b).filter((now) => {
      const next = Math.max(tat, now);
      if (next + 1000 - 60_000 > now) return true;
      tat = next + 1000;
      return false;
    });
    expect(refused).toEqual([]);
    expect(sent.length).toBeGreaterThan(48 + 150);
  });

  it('takes nothing while blocked for a Retry-After', () => {
    const pacer = new Pacer(60, 60, 10);
    pacer.blockFor(2000, 0);
    expect(pacer.tryTake(1999)).toBe(false);
    expect(pacer.tryTake(2000)).toBe(true);
  });
});

describe('retryAfterMs', () => {
  it('reads the seconds from the rate_limited hint, and waits a second when there are none', () => {
    expect(retryAfterMs('Retry after 3 seconds.')).toBe(3000);
    expect(retryAfterMs(null)).toBe(1000);
    expect(retryAfterMs('soon')).toBe(1000);
  });
});
