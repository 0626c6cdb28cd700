import fs from 'node:fs/promises';
import { createClient, type RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { configFromEnv, type StackConfig } from '../config.ts';
import { recreateDatabase } from '../migrate.ts';
import { startEmbeddedPostgres, type PostgresHandle } from '../postgres.ts';
import { startStack, type Stack } from '../start.ts';
import { freePort, tempDataDir } from '../throwaway.ts';
import { Inbox } from './realtime-helpers.ts';

type Change = RealtimePostgresChangesPayload<{ id: number; body: string }>;

/**
 * A stack of its own, over a Postgres that outlives it (DATABASE_URL), so the stack can stop and
 * start while rows keep being written.
 */
describe('realtime across a stack restart', () => {
  let dataDir: string;
  let postgres: PostgresHandle;
  let config: StackConfig;
  let db: pg.Client;

  beforeAll(async () => {
    dataDir = await tempDataDir('stack-rt-restart');
    const dbPort = await freePort();
    postgres = await startEmbeddedPostgres({ dataDir, port: dbPort, log: () => undefined });
    config = configFromEnv(process.env, { apiPort: await freePort(), dbPort, dataDir, databaseUrl: postgres.adminUrl, quiet: true });
    db = new pg.Client({ connectionString: postgres.adminUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await postgres?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('reconnects, resubscribes and receives new changes; changes made while it was down are not replayed', async () => {
    let stack: Stack = await startStack(config, { log: () => undefined });
    await db.query(`create table public.rt_restart (id bigint generated always as identity primary key, body text)`);
    await db.query(`alter publication supabase_realtime add table public.rt_restart`);
    const client = createClient(stack.apiUrl, stack.anonKey, { realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor } });
    const statuses = new Inbox<string>();
    const changes = new Inbox<Change>();
    client
      .channel('restart')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_restart' }, changes.push)
      .subscribe((status) => statuses.push(status));
    try {
      await statuses.wait(1, (s) => s === 'SUBSCRIBED');
      await db.query(`insert into rt_restart (body) values ('before')`);
      await changes.wait(1);

      await stack.stop();
      await db.query(`insert into rt_restart (body) values ('while down')`);
      stack = await startStack(config, { log: () => undefined });
      await statuses.wait(2, (s) => s === 'SUBSCRIBED', 30_000);
      await db.query(`insert into rt_restart (body) values ('after')`);
      await changes.wait(2);
      expect(changes.items.map((c) => (c.new as { body: string }).body)).toEqual(['before', 'after']);
    } finally {
      await client.removeAllChannels();
      await stack.stop();
    }
  }, 60_000);

  it('lets db:reset drop the database while a stack streams from it', async () => {
    const slots = async () => (await db.query(`select count(*)::int as n from pg_replication_slots where slot_name like 'stack\\_realtime\\_%'`)).rows[0].n as number;
    let stack = await startStack(config, { log: () => undefined });
    try {
      expect(await slots()).toBeGreaterThanOrEqual(1);
      await db.end();
      await recreateDatabase(postgres.adminUrl);
      db = new pg.Client({ connectionString: postgres.adminUrl });
      await db.connect();
      const { rows } = await db.query(`select count(*)::int as n from pg_database where datname = 'postgres'`);
      expect(rows[0].n).toBe(1);
    } finally {
      await stack.stop();
    }
    // A stopped stack leaves no slot behind.
    stack = await startStack(config, { log: () => undefined });
    await stack.stop();
    for (let i = 0; i < 50 && (await slots()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await slots()).toBe(0);
  }, 60_000);
});
