import fs from 'node:fs/promises';
import { createClient, type RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configFromEnv, type StackConfig } from '../config.ts';
import { startEmbeddedPostgres, type PostgresHandle } from '../postgres.ts';
import { startStack, type Stack } from '../start.ts';
import { freePort, tempDataDir } from '../throwaway.ts';
import { Inbox, RawSocket, sleep } from './realtime-helpers.ts';

type Change = RealtimePostgresChangesPayload<{ id: number; body: string }>;

/**
 * The replication stream dies while the stack runs: its walsender is terminated, then Postgres
 * restarts. Subscribers must be told (their sockets close, realtime-js rejoins), so the app can
 * re-read what it missed when the channel reports SUBSCRIBED again; a silent gap is the bug.
 */
describe('realtime when the replication stream is lost', () => {
  let dataDir: string;
  let dbPort: number;
  let postgres: PostgresHandle;
  let config: StackConfig;
  let stack: Stack;
  const lines: string[] = [];
  let db: pg.Client;

  const connect = async () => {
    db = new pg.Client({ connectionString: postgres.adminUrl });
    await db.connect();
  };

  beforeAll(async () => {
    dataDir = await tempDataDir('stack-rt-loss');
    dbPort = await freePort();
    postgres = await startEmbeddedPostgres({ dataDir, port: dbPort, log: () => undefined });
    config = configFromEnv(process.env, { apiPort: await freePort(), dbPort, dataDir, databaseUrl: postgres.adminUrl, quiet: true });
    stack = await startStack(config, { log: (line) => lines.push(line) });
    await connect();
    await db.query(`create table public.rt_loss (id bigint generated always as identity primary key, body text)`);
    await db.query(`grant select on public.rt_loss to anon`);
    await db.query(`alter publication supabase_realtime add table public.rt_loss`);
  }, 60_000);

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await stack?.stop();
    await postgres?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('closes subscribers\' sockets when the stream dies, refuses joins until it is back, then delivers again', async () => {
    const client = createClient(stack.apiUrl, stack.anonKey, { realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor } });
    const statuses = new Inbox<string>();
    const changes = new Inbox<Change>();
    client
      .channel('loss')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_loss' }, changes.push)
      .subscribe((status) => statuses.push(status));
    const subscribed = (n: number) => statuses.wait(n, (s) => s === 'SUBSCRIBED', 40_000);
    const bodies = () => changes.items.map((c) => (c.new as { body: string }).body);
    try {
      await subscribed(1);
      await db.query(`insert into rt_loss (body) values ('before')`);
      await changes.wait(1);

      // 1. The walsender is terminated (as by an operator, or a failover).
      const { rowCount } = await db.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'stack_realtime_replication'`);
      expect(rowCount).toBe(1);
      await subscribed(2);
      expect(statuses.items.slice(1)).toContain('CHANNEL_ERROR');
      await db.query(`insert into rt_loss (body) values ('after the stream came back')`);
      await changes.wait(2);

      // 2. Postgres itself restarts.
      await db.end();
      await postgres.stop();
      const closings = () => lines.filter((l) => l.startsWith('realtime: closing 1 socket(s)')).length;
      for (let i = 0; i < 100 && closings() < 2; i++) await sleep(100);
      // While it is down, joins are refused with Supabase's reason (realtime-js retries them).
      const probe = await RawSocket.open('2.0.0', stack.anonKey, stack.apiUrl);
      probe.send(['1', '1', 'realtime:probe', 'phx_join', { config: {} }]);
      expect(await probe.reply('1')).toEqual(['1', '1', 'realtime:probe', 'phx_reply', { status: 'error', response: { reason: 'UnableToConnectToProject: Realtime was unable to connect to the project database' } }]);
      probe.close();
      postgres = await startEmbeddedPostgres({ dataDir, port: dbPort, log: () => undefined });
      await connect();
      await subscribed(3);
      await db.query(`insert into rt_loss (body) values ('after Postgres came back')`);
      await changes.wait(3);
      expect(bodies()).toEqual(['before', 'after the stream came back', 'after Postgres came back']);
      expect(lines.filter((l) => l.startsWith('realtime: closing 1 socket(s)'))).toHaveLength(2);
    } finally {
      await client.removeAllChannels();
    }
  }, 120_000);
});
