import { emptyHistogram, quantile, record } from '@/lib/telemetry/histogram.ts';

// The realtime canary as this page receives it: the maintenance job broadcasts {seq, sent_at}
// every few seconds on monitoring:canary, sent_at on the database's clock; the page times each
// arrival on the server's clock (see clock-offset.ts). A gap in seq is a canary that never came.

export interface CanaryEvent {
  seq: number;
  sentAt: number;
}

export interface CanarySample {
  /** Arrival, on the server's clock. */
  at: number;
  lagMs: number;
}

export interface CanaryState {
  samples: CanarySample[];
  received: number;
  missed: number;
  lastSeq: number | null;
}

export const emptyCanary = (): CanaryState => ({ samples: [], received: 0, missed: 0, lastSeq: null });

/** Samples older than this are dropped. */
export const CANARY_KEEP_MS = 15 * 60_000;

export function parseCanary(payload: unknown): CanaryEvent | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { seq, sent_at } = payload as Record<string, unknown>;
  if (!Number.isInteger(seq) || typeof sent_at !== 'number' || !Number.isFinite(sent_at)) return undefined;
  return { seq: seq as number, sentAt: sent_at };
}

export function addCanary(state: CanaryState, event: CanaryEvent, lagMs: number, at: number): CanaryState {
  // A lower seq means the sequence started over (a new database): nothing was missed.
  const gap = state.lastSeq !== null && event.seq > state.lastSeq + 1 ? event.seq - state.lastSeq - 1 : 0;
  if (state.lastSeq !== null && event.seq === state.lastSeq) return state;
  return {
    samples: [...state.samples.filter((s) => s.at > at - CANARY_KEEP_MS), { at, lagMs }],
    received: state.received + 1,
    missed: state.missed + gap,
    lastSeq: event.seq,
  };
}

export interface CanarySummary {
  count: number;
  lastMs: number | null;
  p50: number | null;
  p95: number | null;
}

/** Percentiles of the canaries that arrived in the last `windowMs` (before `now`, server clock). */
export function summarizeCanary(state: CanaryState, now: number, windowMs = 5 * 60_000): CanarySummary {
  const recent = state.samples.filter((s) => s.at > now - windowMs);
  const histogram = emptyHistogram();
  for (const s of recent) record(histogram, Math.max(0, s.lagMs));
  return { count: recent.length, lastMs: recent.at(-1)?.lagMs ?? null, p50: quantile(histogram, 0.5), p95: quantile(histogram, 0.95) };
}
