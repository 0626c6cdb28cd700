/** Realtime limits: Supabase's defaults unless overridden by STACK_REALTIME_* environment variables. */
export interface RealtimeLimits {
  /** Channels one WebSocket may join (Supabase: max_channels_per_client, 100). */
  maxChannelsPerClient: number;
  /** Messages a channel may receive from its client per second (Supabase: max_events_per_second, 100). */
  maxEventsPerSecond: number;
  /** Joins per second on one WebSocket (Supabase: max_joins_per_second, 100). */
  maxJoinsPerSecond: number;
  /** Broadcast and presence payload size in bytes (Supabase: max_payload_size_in_kb, 3000, plus padding). */
  maxPayloadBytes: number;
  /** Largest WebSocket frame accepted (Supabase: max_frame_size, 5 000 000). */
  maxFrameBytes: number;
  /** Bytes queued for a client before it counts as too slow and is disconnected. */
  maxBufferedBytes: number;
  /** Presence calls a channel may make per window (Supabase: 5 per 30 s). */
  presenceMaxCalls: number;
  presenceWindowMs: number;
  /** A socket that sends nothing (not even heartbeats) for this long is closed (Phoenix: 60 s). */
  idleTimeoutMs: number;
  /** Postgres change records larger than this lose their big values (Supabase: 1 MB, "Error 413"). */
  maxRecordBytes: number;
}

function fromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[`STACK_REALTIME_${name}`];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`STACK_REALTIME_${name} must be a positive integer, got "${raw}"`);
  return value;
}

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): RealtimeLimits {
  return {
    maxChannelsPerClient: fromEnv(env, 'MAX_CHANNELS_PER_CLIENT', 100),
    maxEventsPerSecond: fromEnv(env, 'MAX_EVENTS_PER_SECOND', 100),
    maxJoinsPerSecond: fromEnv(env, 'MAX_JOINS_PER_SECOND', 100),
    maxPayloadBytes: fromEnv(env, 'MAX_PAYLOAD_BYTES', 3000 * 1000 + 500),
    maxFrameBytes: fromEnv(env, 'MAX_FRAME_BYTES', 5_000_000),
    maxBufferedBytes: fromEnv(env, 'MAX_BUFFERED_BYTES', 16 * 1024 * 1024),
    presenceMaxCalls: fromEnv(env, 'PRESENCE_MAX_CALLS', 5),
    presenceWindowMs: fromEnv(env, 'PRESENCE_WINDOW_MS', 30_000),
    idleTimeoutMs: fromEnv(env, 'IDLE_TIMEOUT_MS', 60_000),
    maxRecordBytes: fromEnv(env, 'MAX_RECORD_BYTES', 1024 * 1024),
  };
}
