import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChangeAnnouncer, summarizeChanges, type Noun } from '../change-announcer.ts';

const level: Noun = { one: 'stock level', other: 'stock levels' };
const product: Noun = { one: 'product', other: 'products' };

describe('summarizeChanges', () => {
  it('counts each noun, singular or plural, and joins them', () => {
    expect(summarizeChanges(new Map([[level, 1]]))).toBe('1 stock level changed');
    expect(summarizeChanges(new Map([[level, 3], [product, 1]]))).toBe('3 stock levels and 1 product changed');
    expect(summarizeChanges(new Map([[level, 0]]))).toBeNull();
  });
});

describe('createChangeAnnouncer', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('a burst of changes is one announcement that counts them all', () => {
    const said: string[] = [];
    const announcer = createChangeAnnouncer({ say: (m) => said.push(m) });
    for (let i = 0; i < 40; i++) {
      announcer.changed(level);
      vi.advanceTimersByTime(20);
    }
    announcer.changed(product);
    vi.advanceTimersByTime(1_000);
    expect(said).toEqual(['40 stock levels and 1 product changed']);
  });

  it('never announces twice within the interval; what came meanwhile is said at its end', () => {
    const said: Array<[number, string]> = [];
    const announcer = createChangeAnnouncer({ say: (m) => said.push([Date.now(), m]), intervalMs: 5_000, gatherMs: 1_000 });
    announcer.changed(level);
    vi.advanceTimersByTime(1_500);
    // A steady stream for 20 s: one change every 100 ms.
    for (let t = 0; t < 20_000; t += 100) {
      announcer.changed(level);
      vi.advanceTimersByTime(100);
    }
    vi.advanceTimersByTime(10_000);
    const times = said.map(([t]) => t);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(5_000);
    expect(said.length).toBeLessThanOrEqual(6);
    // Nothing lost: every change is in some summary.
    const total = said.reduce((n, [, m]) => n + Number(/^(\d+)/.exec(m)![1]), 0);
    expect(total).toBe(201);
  });

  it('stays quiet without changes, and stop drops what is pending', () => {
    const say = vi.fn();
    const announcer = createChangeAnnouncer({ say });
    vi.advanceTimersByTime(60_000);
    announcer.changed(level, 0);
    announcer.changed(level, 2);
    announcer.stop();
    vi.advanceTimersByTime(60_000);
    expect(say).not.toHaveBeenCalled();
  });
});
