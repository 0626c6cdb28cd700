import type { CallRecord } from './instrument-fetch.ts';

// Buffers what the SPA measures and hands it to `send` in batches of the shape
// public.ingest_telemetry accepts (see supabase/README.md), by time (every 10 s) and count (when
// 100 calls are waiting, at most every 5 s, so one tab stays well under the per-user limit).
// When busy, calls are sampled (a reservoir per kind, each kept call weighted by how many it
// stands for). Nothing here throws into the app, and sending never blocks a request.

export interface BatchCall {
  op: string;
  method: string;
  status: number;
  code: string | null;
  ms: number;
  age_ms: number;
  rid: string | null;
  vendor: string | null;
  replayed: boolean;
  w: number;
}

export interface Batch {
  v: 1;
  api: BatchCall[];
  cache: Array<{ key: string; hits: number; stale: number; misses: number; fetches: number; age_ms: number }>;
  realtime: Array<{ channel: string; joins: number; rejoins: number; drops: number; live_s: number; age_ms: number }>;
  lag: Array<{ ms: number; age_ms: number }>;
}

/** What became of a batch: sent (or dropped), or refused for a while (429). */
export type SendOutcome = { retryAfterMs?: number };

export type CacheRead = 'hit' | 'stale' | 'miss';
export type ChannelState = 'connecting' | 'live' | 'offline';

export interface CollectorOptions {
  send: (batch: Batch, opts: { keepalive: boolean }) => Promise<SendOutcome>;
  now?: () => number;
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export const FLUSH_EVERY_MS = 10_000;
/** With nothing but live channels to report, a tab sends their channel-seconds once a minute. */
export const IDLE_FLUSH_MS = 60_000;
export const MIN_FLUSH_GAP_MS = 5_000;
export const OK_CALLS_KEPT = 100;
export const FAILED_CALLS_KEPT = 50;
const LAG_KEPT = 100;
const MAX_AGE_MS = 3_600_000;
const KEY = /^[a-z0-9_-]{1,40}$/;

/** Algorithm R: a uniform sample of at most `size` of the items offered. */
class Reservoir<T> {
  items: T[] = [];
  offered = 0;
  constructor(private readonly size: number, private readonly random: () => number) {}
  offer(item: T): void {
    this.offered++;
    if (this.items.length < this.size) this.items.push(item);
    else {
      const slot = Math.floor(this.random() * this.offered);
      if (slot < this.size) this.items[slot] = item;
    }
  }
  /**
   * The kept items, each with how many offered ones it stands for: whole numbers that add up to
   * the number offered (up to 1000 each, the most the database accepts).
   */
  drain(): Array<{ item: T; weight: number }> {
    const kept = this.items.length;
    const base = kept === 0 ? 0 : Math.floor(this.offered / kept);
    const extra = this.offered - base * kept;
    const drained = this.items.map((item, i) => ({ item, weight: Math.min(1000, base + (i < extra ? 1 : 0)) }));
    this.items = [];
    this.offered = 0;
    return drained;
  }
}

/** A channel label the database accepts: lower case, [a-z0-9 _-], at most 40 characters. */
export function channelLabel(label: string): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9 _-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 40);
  return clean || 'channel';
}

export function queryKeyRoot(queryKey: readonly unknown[]): string {
  const root = typeof queryKey[0] === 'string' ? queryKey[0].toLowerCase() : '';
  return KEY.test(root) ? root : 'other';
}

interface Timed<T> {
  at: number;
  value: T;
}

interface ChannelTrack {
  label: string;
  state: ChannelState;
  liveSince: number | null;
  wasLive: boolean;
}

export class TelemetryCollector {
  private readonly now: () => number;
  private readonly ok: Reservoir<Timed<CallRecord>>;
  private readonly failed: Reservoir<Timed<CallRecord>>;
  private readonly lag: Reservoir<Timed<number>>;
  private cache = new Map<string, { hits: number; stale: number; misses: number; fetches: number }>();
  private realtime = new Map<string, { joins: number; rejoins: number; drops: number; liveMs: number }>();
  private channels = new Map<string, ChannelTrack>();
  private timer: unknown;
  private timerDue = Infinity;
  private lastFlushAt: number;
  private pausedUntil = 0;
  private sending = false;

  constructor(private readonly opts: CollectorOptions) {
    this.now = opts.now ?? (() => performance.now());
    const random = opts.random ?? Math.random;
    this.ok = new Reservoir(OK_CALLS_KEPT, random);
    this.failed = new Reservoir(FAILED_CALLS_KEPT, random);
    this.lag = new Reservoir(LAG_KEPT, random);
    this.lastFlushAt = -Infinity;
  }

  recordCall(call: CallRecord): void {
    this.guard(() => {
      (call.status >= 200 && call.status < 400 ? this.ok : this.failed).offer({ at: this.now(), value: call });
      this.schedule(this.ok.offered + this.failed.offered >= OK_CALLS_KEPT);
    });
  }

  recordCacheRead(key: string, read: CacheRead): void {
    this.guard(() => {
      const counts = this.cacheCounts(key);
      if (read === 'hit') counts.hits++;
      else if (read === 'stale') counts.stale++;
      else counts.misses++;
      this.schedule(false);
    });
  }

  recordFetch(key: string): void {
    this.guard(() => {
      this.cacheCounts(key).fetches++;
      this.schedule(false);
    });
  }

  /** Realtime lag in ms, already on the server's clock. */
  recordLag(ms: number): void {
    this.guard(() => {
      if (!Number.isFinite(ms)) return;
      this.lag.offer({ at: this.now(), value: Math.max(0, ms) });
      this.schedule(false);
    });
  }

  /** The channels on screen (id -> state and label); joins, rejoins and drops come from the changes. */
  channelsChanged(current: Record<string, { state: ChannelState; label: string }>): void {
    this.guard(() => {
      const now = this.now();
      for (const [id, channel] of Object.entries(current)) {
        const label = channelLabel(channel.label);
        const track = this.channels.get(id) ?? { label, state: 'connecting' as ChannelState, liveSince: null, wasLive: false };
        if (channel.state !== track.state) {
          const counts = this.realtimeCounts(label);
          if (channel.state === 'live') {
            if (track.wasLive) counts.rejoins++;
            else counts.joins++;
            track.liveSince = now;
            track.wasLive = true;
          } else if (track.state === 'live') {
            if (channel.state === 'offline') counts.drops++;
            counts.liveMs += now - (track.liveSince ?? now);
            track.liveSince = null;
          }
          track.state = channel.state;
          this.schedule(false);
        }
        this.channels.set(id, track);
      }
      for (const [id, track] of this.channels) {
        if (id in current) continue;
        if (track.liveSince !== null) this.realtimeCounts(track.label).liveMs += now - track.liveSince;
        this.channels.delete(id);
      }
    });
  }

  /** Sends what is buffered now (the page is being hidden or closed): keepalive, no waiting for the timer. */
  flushNow(): void {
    this.guard(() => void this.flush(true));
  }

  private guard(work: () => void): void {
    try {
      work();
    } catch {
      // Telemetry must never break the app.
    }
  }

  private cacheCounts(key: string) {
    let counts = this.cache.get(key);
    if (!counts) this.cache.set(key, (counts = { hits: 0, stale: 0, misses: 0, fetches: 0 }));
    return counts;
  }

  private realtimeCounts(label: string) {
    let counts = this.realtime.get(label);
    if (!counts) this.realtime.set(label, (counts = { joins: 0, rejoins: 0, drops: 0, liveMs: 0 }));
    return counts;
  }

  /** Arms the timer: in `inMs`, or as soon as allowed when `full`. */
  private schedule(full: boolean, inMs = FLUSH_EVERY_MS): void {
    const earliest = Math.max(this.lastFlushAt + MIN_FLUSH_GAP_MS, this.pausedUntil);
    const wanted = full ? Math.max(this.now(), earliest) : Math.max(this.now() + inMs, earliest);
    if (this.timer !== undefined) {
      if (this.timerDue <= wanted) return;
      (this.opts.clearTimer ?? clearTimeout)(this.timer as ReturnType<typeof setTimeout>);
    }
    this.timerDue = wanted;
    this.timer = (this.opts.setTimer ?? setTimeout)(() => {
      this.timer = undefined;
      void this.flush(false);
    }, Math.max(0, wanted - this.now()));
  }

  private hasLiveChannels(): boolean {
    for (const track of this.channels.values()) if (track.liveSince !== null) return true;
    return false;
  }

  private takeBatch(): Batch | null {
    const now = this.now();
    const age = (at: number) => Math.max(0, Math.round(now - at));
    const api: BatchCall[] = [];
    for (const reservoir of [this.ok, this.failed]) {
      for (const { item: { at, value }, weight } of reservoir.drain()) {
        if (now - at > MAX_AGE_MS) continue;
        api.push({
          op: value.op, method: value.method, status: value.status, code: value.code, ms: Math.round(value.ms * 1000) / 1000,
          age_ms: age(at), rid: value.requestId, vendor: value.vendor, replayed: value.replayed, w: weight,
        });
      }
    }
    const cache = [...this.cache].filter(([key]) => KEY.test(key)).map(([key, c]) => ({ key, ...c, age_ms: 0 }));
    this.cache = new Map();
    for (const track of this.channels.values()) {
      if (track.liveSince === null) continue;
      this.realtimeCounts(track.label).liveMs += now - track.liveSince;
      track.liveSince = now;
    }
    const realtime = [...this.realtime]
      .map(([channel, c]) => ({ channel, joins: c.joins, rejoins: c.rejoins, drops: c.drops, live_s: Math.round(c.liveMs) / 1000, age_ms: 0 }))
      .filter((r) => r.joins + r.rejoins + r.drops > 0 || r.live_s > 0);
    this.realtime = new Map();
    // Lag samples feed percentiles: a sample of them is a sample, unweighted.
    const lag = this.lag.drain().filter(({ item }) => now - item.at <= MAX_AGE_MS).map(({ item }) => ({ ms: Math.round(item.value * 1000) / 1000, age_ms: age(item.at) }));
    if (api.length + cache.length + realtime.length + lag.length === 0) return null;
    return { v: 1, api, cache, realtime, lag };
  }

  private async flush(keepalive: boolean): Promise<void> {
    if (this.sending || this.now() < this.pausedUntil) {
      this.schedule(false);
      return;
    }
    const batch = this.takeBatch();
    if (!batch) return;
    this.lastFlushAt = this.now();
    this.sending = true;
    try {
      const outcome = await this.opts.send(batch, { keepalive });
      if (outcome.retryAfterMs) this.pausedUntil = this.now() + outcome.retryAfterMs;
    } catch {
      // Lost: telemetry is best effort, and a retry could count the batch twice.
    } finally {
      this.sending = false;
    }
    if (this.ok.offered + this.failed.offered + this.lag.offered > 0 || this.cache.size > 0 || this.realtime.size > 0) this.schedule(false);
    else if (this.hasLiveChannels()) this.schedule(false, IDLE_FLUSH_MS);
  }
}
