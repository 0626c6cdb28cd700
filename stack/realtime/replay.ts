import type pg from 'pg';

const HARD_LIMIT = 25;

/**
 * Broadcast replay for private channels (`config.broadcast.replay: {since, limit}`): messages of
 * the topic stored in realtime.messages since `since` (ms), oldest first, as Supabase sends them.
 * Returns undefined for invalid parameters.
 */
export async function replayMessages(pool: pg.Pool, topic: string, params: Record<string, unknown>): Promise<Array<Record<string, unknown>> | undefined> {
  const since = params.since ?? 0;
  const limit = params.limit ?? 10;
  if (!Number.isInteger(since) || !Number.isInteger(limit)) return undefined;
  const { rows } = await pool.query<{ id: string; event: string; payload: unknown }>(
    `select id, event, payload from (
       select id, event, payload, inserted_at from realtime.messages
        where topic = $1 and private is true and extension = 'broadcast'
          and inserted_at >= to_timestamp($2::float8 / 1000)::timestamp
          and inserted_at < now()::timestamp + interval '1 minute'
        order by inserted_at desc limit $3
     ) m order by inserted_at`,
    [topic, since, Math.max(1, Math.min(limit as number, HARD_LIMIT))],
  );
  return rows.map((m) => ({ type: 'broadcast', event: m.event, payload: m.payload, meta: { replayed: true, id: m.id } }));
}
