import { describe, expect, it } from 'vitest';
import { estimateOffset, lagOnServerClock } from '@/lib/telemetry/clock-offset.ts';
import { addCanary, CANARY_KEEP_MS, emptyCanary, parseCanary, summarizeCanary } from '../canary.ts';

describe('the server clock offset (NTP-style)', () => {
  it('takes the round trip with the least delay, offset = server - midpoint', () => {
    const estimate = estimateOffset([
      { t0: 1000, server: 6100, t3: 1300 },
      { t0: 2000, server: 7040, t3: 2060 },
      { t0: 3000, server: 8200, t3: 3400 },
    ]);
    expect(estimate).toEqual({ offsetMs: 5010, uncertaintyMs: 30, samples: 3 });
  });

  it('corrects an arrival to the server clock: a browser clock 5 s behind does not make lag negative', () => {
    const estimate = estimateOffset([{ t0: 10_000, server: 15_010, t3: 10_020 }])!;
    expect(lagOnServerClock(15_100, 10_130, estimate)).toBe(30);
  });

  it('has no estimate without a usable sample', () => {
    expect(estimateOffset([])).toBeNull();
    expect(estimateOffset([{ t0: 5, server: 10, t3: 4 }])).toBeNull();
  });
});

describe('canary state', () => {
  it('reads only well-formed payloads', () => {
    expect(parseCanary({ seq: 4, sent_at: 1796190000000.5, id: 'x' })).toEqual({ seq: 4, sentAt: 1796190000000.5 });
    expect(parseCanary({ seq: '4', sent_at: 1 })).toBeUndefined();
    expect(parseCanary(null)).toBeUndefined();
  });

  it('counts gaps in seq as missed, ignores a duplicate, and starts over on a lower seq', () => {
    let s = emptyCanary();
    s = addCanary(s, { seq: 10, sentAt: 0 }, 40, 1000);
    s = addCanary(s, { seq: 11, sentAt: 0 }, 50, 5000);
    s = addCanary(s, { seq: 11, sentAt: 0 }, 50, 5000);
    s = addCanary(s, { seq: 14, sentAt: 0 }, 60, 17_000);
    expect([s.received, s.missed, s.lastSeq]).toEqual([3, 2, 14]);
    s = addCanary(s, { seq: 1, sentAt: 0 }, 70, 21_000);
    expect([s.received, s.missed, s.lastSeq]).toEqual([4, 2, 1]);
  });

  it('keeps 15 minutes of samples and summarises the last 5', () => {
    let s = emptyCanary();
    for (let i = 0; i < 300; i++) s = addCanary(s, { seq: i, sentAt: 0 }, i < 250 ? 10 : 100, i * 4000);
    const now = 299 * 4000;
    expect(s.samples.every((x) => x.at > now - CANARY_KEEP_MS)).toBe(true);
    const summary = summarizeCanary(s, now);
    expect(summary.count).toBe(75);
    expect(summary.lastMs).toBe(100);
    expect(summary.p50).toBeGreaterThanOrEqual(90.5);
    expect(summary.p50).toBeLessThanOrEqual(107.7);
    expect(summarizeCanary(emptyCanary(), now)).toEqual({ count: 0, lastMs: null, p50: null, p95: null });
  });
});
