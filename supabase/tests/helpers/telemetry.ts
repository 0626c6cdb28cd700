import { randomUUID } from 'node:crypto';
import { db, uniqueSuffix } from '../../../stack/tests/support.ts';
import { rpc, type Caller } from './sql.ts';

/** One supabase-js call as the SPA reports it. */
export interface ApiEvent {
  op: string;
  method: string;
  status: number;
  ms: number;
  age_ms: number;
  code?: string | null;
  rid?: string | null;
  vendor?: string | null;
  replayed?: boolean;
  w?: number;
}

export interface Batch {
  v: 1;
  api?: ApiEvent[];
  cache?: Array<{ key: string; hits: number; stale: number; misses: number; fetches: number; age_ms: number }>;
  realtime?: Array<{ channel: string; joins: number; rejoins: number; drops: number; live_s: number; age_ms: number }>;
  lag?: Array<{ ms: number; age_ms: number; channel?: string }>;
}

/** An operation name no other test reports, so a test reads back only its own rows. */
export const uniqueOp = (prefix = 'rpc') => `${prefix}:t_${uniqueSuffix().replace(/-/g, '')}`;

export const call = (op: string, overrides: Partial<ApiEvent> = {}): ApiEvent => ({ op, method: 'POST', status: 200, ms: 12, age_ms: 0, ...overrides });

/** Calls ingest_telemetry; `batch` goes as JSON text (node-pg would send an array as a Postgres array). */
export function ingest(caller: Caller, batch: unknown, key = `telemetry-${randomUUID()}`) {
  return rpc<Record<string, unknown>>(caller, 'ingest_telemetry', { batch: batch === null ? null : JSON.stringify(batch), idempotency_key: key });
}

export interface ApiRow {
  /** Seconds since the epoch. */
  minute: number;
  operation: string;
  method: string;
  status: number;
  code: string | null;
  outcome: string;
  vendor_id: string | null;
  anon: boolean;
  requests: number;
  replays: number;
  duration_ms_sum: number;
  histogram: number[];
}

export async function apiRows(operation: string): Promise<ApiRow[]> {
  const { rows } = await db().query<ApiRow>(
    `select extract(epoch from minute)::float8 as minute, operation, method, status, code, outcome, vendor_id, anon, requests, replays, duration_ms_sum, histogram
     from private.telemetry_api_minutes where operation = $1 order by minute, status, code nulls first`,
    [operation],
  );
  return rows;
}

/** A histogram of 66 buckets with these counts set (bucket number -> count). */
export function histogramWith(counts: Record<number, number>): number[] {
  return Array.from({ length: 66 }, (_, i) => counts[i + 1] ?? 0);
}
