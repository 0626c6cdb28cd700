import { describe, expect, it } from 'vitest';
import { channelLabel, FLUSH_EVERY_MS, IDLE_FLUSH_MS, MIN_FLUSH_GAP_MS, queryKeyRoot, TelemetryCollector, type Batch, type SendOutcome } from '../collector.ts';
import type { CallRecord } from '../instrument-fetch.ts';

/** A manual clock and timers: time moves only when the test says so. */
function harness(outcome: () => Promise<SendOutcome> = async () => ({})) {
  let now = 1_000_000;
  let timers: Array<{ at: number; run: () => void; id: number }> = [];
  let nextId = 0;
  const sent: Array<{ batch: Batch; keepalive: boolean }> = [];
  const collector = new TelemetryCollector({
    now: () => now,
    random: (() => {
      let x = 0.5;
      return () => (x = (x * 9301 + 49297) % 233280 / 233280);
    })(),
    setTimer: (run, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimer: (id) => (timers = timers.filter((t) => t.id !== id)),
    send: async (batch, { keepalive }) => {
      sent.push({ batch, keepalive });
      return outcome();
    },
  });
  const advance = async (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.run();
      await new Promise((r) => setTimeout(r, 0));
    }
    now = until;
  };
  return { collector, sent, advance, pending: () => timers.length };
}

const call = (overrides: Partial<CallRecord> = {}): CallRecord => ({
  op: 'rest:products', method: 'GET', vendor: null, status: 200, code: null, ms: 12.3456, requestId: null, replayed: false, ...overrides,
});

describe('TelemetryCollector', () => {
  it('sends what it buffered every 10 s, with ages, then nothing while idle', async () => {
    const { collector, sent, advance, pending } = harness();
    collector.recordCall(call());
    await advance(4000);
    collector.recordCall(call({ status: 409, code: 'insufficient_stock', requestId: 'a1b2c3d4-e5f6' }));
    await advance(FLUSH_EVERY_MS - 4000 - 1);
    expect(sent).toEqual([]);
    await advance(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.keepalive).toBe(false);
    expect(sent[0]!.batch).toEqual({
      v: 1,
      api: [
        { op: 'rest:products', method: 'GET', status: 200, code: null, ms: 12.346, age_ms: 10_000, rid: null, vendor: null, replayed: false, w: 1 },
        { op: 'rest:products', method: 'GET', status: 409, code: 'insufficient_stock', ms: 12.346, age_ms: 6000, rid: 'a1b2c3d4-e5f6', vendor: null, replayed: false, w: 1 },
      ],
      cache: [],
      realtime: [],
      lag: [],
    });
    await advance(60_000);
    expect(sent).toHaveLength(1);
    expect(pending()).toBe(0);
  });

  it('sends early when 100 calls wait, but never twice within 5 s; when busy it samples and weighs', async () => {
    const { collector, sent, advance } = harness();
    for (let i = 0; i < 100; i++) collector.recordCall(call({ ms: i }));
    await advance(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.batch.api).toHaveLength(100);
    expect(sent[0]!.batch.api.every((c) => c.w === 1)).toBe(true);

    // 430 more calls (and 55 failures) arrive within the next 5 s: 100 and 50 kept, their weights
    // adding up to exactly what happened.
    for (let i = 0; i < 430; i++) collector.recordCall(call({ ms: i }));
    for (let i = 0; i < 55; i++) collector.recordCall(call({ status: 500 }));
    await advance(MIN_FLUSH_GAP_MS - 1);
    expect(sent).toHaveLength(1);
    await advance(1);
    expect(sent).toHaveLength(2);
    const { api } = sent[1]!.batch;
    const ok = api.filter((c) => c.status === 200);
    const failed = api.filter((c) => c.status === 500);
    expect([ok.length, failed.length]).toEqual([100, 50]);
    expect(ok.reduce((n, c) => n + c.w, 0)).toBe(430);
    expect(new Set(ok.map((c) => c.w))).toEqual(new Set([4, 5]));
    expect(failed.reduce((n, c) => n + c.w, 0)).toBe(55);
  });

  it('counts cache reads and fetches per key, and realtime joins, rejoins, drops and live seconds per channel label', async () => {
    const { collector, sent, advance } = harness();
    collector.recordCacheRead('catalog', 'miss');
    collector.recordFetch('catalog');
    collector.recordCacheRead('catalog', 'hit');
    collector.recordCacheRead('catalog', 'stale');
    collector.channelsChanged({ 'catalog:a': { state: 'connecting', label: 'shop availability' } });
    await advance(1000);
    collector.channelsChanged({ 'catalog:a': { state: 'live', label: 'shop availability' } });
    await advance(3000);
    collector.channelsChanged({ 'catalog:a': { state: 'offline', label: 'shop availability' } });
    await advance(1000);
    collector.channelsChanged({ 'catalog:a': { state: 'live', label: 'shop availability' } });
    await advance(FLUSH_EVERY_MS - 5000);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.batch.cache).toEqual([{ key: 'catalog', hits: 1, stale: 1, misses: 1, fetches: 1, age_ms: 0 }]);
    expect(sent[0]!.batch.realtime).toEqual([{ channel: 'shop availability', joins: 1, rejoins: 1, drops: 1, live_s: 8, age_ms: 0 }]);

    // Still live and nothing else to say: its channel-seconds go once a minute.
    await advance(IDLE_FLUSH_MS);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.batch.realtime).toEqual([{ channel: 'shop availability', joins: 0, rejoins: 0, drops: 0, live_s: 60, age_ms: 0 }]);
    // The page leaves the channel half a minute later: those 30 s are sent, then nothing more.
    await advance(30_000);
    collector.channelsChanged({});
    await advance(IDLE_FLUSH_MS);
    expect(sent).toHaveLength(3);
    expect(sent[2]!.batch.realtime).toEqual([{ channel: 'shop availability', joins: 0, rejoins: 0, drops: 0, live_s: 30, age_ms: 0 }]);
    await advance(10 * IDLE_FLUSH_MS);
    expect(sent).toHaveLength(3);
  });

  it('flushes at once with keepalive when the page is hidden', async () => {
    const { collector, sent, advance } = harness();
    collector.recordLag(87.25);
    collector.flushNow();
    await advance(0);
    expect(sent).toEqual([{ keepalive: true, batch: { v: 1, api: [], cache: [], realtime: [], lag: [{ ms: 87.25, age_ms: 0 }] } }]);
  });

  it('pauses after a 429 for Retry-After, then sends what piled up', async () => {
    let answer: SendOutcome = { retryAfterMs: 30_000 };
    const { collector, sent, advance } = harness(async () => answer);
    collector.recordCall(call());
    await advance(FLUSH_EVERY_MS);
    expect(sent).toHaveLength(1);
    answer = {};
    collector.recordCall(call({ op: 'rpc:checkout' }));
    await advance(FLUSH_EVERY_MS);
    expect(sent).toHaveLength(1);
    await advance(30_000 - FLUSH_EVERY_MS);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.batch.api.map((c) => c.op)).toEqual(['rpc:checkout']);
  });

  it('survives a failing send and keeps going', async () => {
    let fail = true;
    const { collector, sent, advance } = harness(async () => {
      if (fail) throw new TypeError('Failed to fetch');
      return {};
    });
    collector.recordCall(call());
    await advance(FLUSH_EVERY_MS);
    fail = false;
    collector.recordCall(call({ op: 'rpc:checkout' }));
    await advance(FLUSH_EVERY_MS);
    expect(sent.map((s) => s.batch.api.map((c) => c.op))).toEqual([['rest:products'], ['rpc:checkout']]);
  });

  it('drops what is over an hour old instead of sending it', async () => {
    const { collector, sent, advance } = harness(async () => ({ retryAfterMs: 3_700_000 }));
    collector.recordCall(call());
    await advance(FLUSH_EVERY_MS);
    collector.recordCall(call({ op: 'rpc:old' }));
    await advance(3_700_000);
    expect(sent).toHaveLength(1);
  });
});

describe('labels the database accepts', () => {
  it.each([
    ['shop availability', 'shop availability'],
    ['Stock levels', 'stock levels'],
    ['vendor:6f1c:stock', 'vendor-6f1c-stock'],
    ['  ', 'channel'],
    ['x'.repeat(60), 'x'.repeat(40)],
  ])('channel %j is %j', (label, expected) => expect(channelLabel(label)).toBe(expected));

  it.each([
    [['catalog', 'products'], 'catalog'],
    [['Inventory'], 'inventory'],
    [[{ vendor: 1 }], 'other'],
    [['someone@example.com'], 'other'],
  ])('query key %j is %j', (key, expected) => expect(queryKeyRoot(key)).toBe(expected));
});
