import { db } from '../../../stack/tests/support.ts';

/** A row of realtime.messages: what realtime.send queued for a topic. */
export interface Message {
  topic: string;
  event: string;
  private: boolean;
  payload: Record<string, unknown>;
}

/** The database's clock now, to read only the messages a test's changes queue after it. */
export async function clock(): Promise<string> {
  return (await db().query<{ now: string }>(`select clock_timestamp()::timestamp::text as now`)).rows[0]!.now;
}

export async function messagesSince(mark: string, topics: string[]): Promise<Message[]> {
  const { rows } = await db().query<Message>(
    `select topic, event, private, payload from realtime.messages
     where inserted_at > $1 and topic = any ($2) order by inserted_at, (payload ->> 'version')::bigint`,
    [mark, topics],
  );
  return rows;
}
