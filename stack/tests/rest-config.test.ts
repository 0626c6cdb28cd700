// In-database configuration and cache reloads change what every request sees, so these tests run
// a REST service of their own over a private database of the test cluster, behind a gateway.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { configFromEnv } from '../config.ts';
import { startGateway, type Gateway } from '../gateway.ts';
import { createMetrics } from '../metrics.ts';
import { createRestService } from '../rest/index.ts';
import type { Service } from '../service.ts';
import { bootstrappedDatabase, stack, uniqueSuffix } from './support.ts';

const dbName = `rest_cfg_${uniqueSuffix().replaceAll('-', '')}`;
let admin: pg.Pool;
let service: Service;
let gateway: Gateway;
let client: SupabaseClient;
const logs: string[] = [];

async function eventually<T>(probe: () => PromiseLike<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sql = (text: string) => admin.query(text);
const reloadConfig = () => sql(`notify pgrst, 'reload config'`);

beforeAll(async () => {
  const { url: dbUrl } = await bootstrappedDatabase(dbName);
  const url = new URL(dbUrl);
  // As postgres, as a project's migrations would (alter role authenticator ... set pgrst.* included).
  admin = new pg.Pool({ connectionString: url.toString(), max: 4 });
  await sql(`
    create table public.things (id int primary key, label text not null);
    insert into public.things select g, 'thing ' || g from generate_series(1, 1005) g;
    create function public.cfg_pre_request() returns void language plpgsql as $$
    begin
      perform set_config('cfg.pre', 'first:' || current_setting('request.method', true) || ' ' || current_setting('request.path', true), true);
      if current_setting('request.headers', true)::json ->> 'x-echo' is not null then
        perform set_config('response.headers', json_build_array(json_build_object('X-Echo', current_setting('request.headers', true)::json ->> 'x-echo'))::text, true);
      end if;
      if current_setting('request.headers', true)::json ->> 'x-block' = 'yes' then
        raise sqlstate 'PGRST' using message = '{"code":"BLOCKED","message":"Blocked before the request","details":null,"hint":"Go away"}',
          detail = '{"status":403,"headers":{"X-Blocked":"by pre-request"}}';
      end if;
    end $$;
    create function public.cfg_other_pre_request() returns void language sql as $$ select set_config('cfg.pre', 'second', true) $$;
    create function public.cfg_seen() returns text language sql stable as $$ select current_setting('cfg.pre', true) $$;
    grant select on public.things to anon;
    grant execute on all functions in schema public to anon;
    alter role authenticator in database ${dbName} set pgrst.db_pre_request = 'public.cfg_pre_request';
  `);
  const config = configFromEnv(process.env, { apiPort: 0, schemas: ['public'], databaseUrl: url.toString() });
  service = await createRestService({ config, databaseUrl: url.toString(), adminPool: admin, metrics: createMetrics(admin), log: (line) => logs.push(line) });
  gateway = await startGateway({ config, services: { rest: service }, health: async () => ({ status: 'ok' }), log: () => {} });
  client = createClient(gateway.url, config.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
  });
});

afterAll(async () => {
  await gateway?.close();
  await service?.close();
  await admin?.end();
  const main = new pg.Client({ connectionString: stack().dbUrl });
  await main.connect();
  await main.query(`drop database if exists ${dbName} with (force)`);
  await main.end();
});

describe('REST config: db-pre-request from the authenticator role settings', () => {
  it('runs the pre-request function in the request transaction, after the request GUCs', async () => {
    const { data, error } = await client.rpc('cfg_seen', {}, { get: true });
    expect(error).toBeNull();
    expect(data).toBe('first:GET /rpc/cfg_seen');
  });

  it("lets the pre-request function answer with RAISE SQLSTATE 'PGRST'", async () => {
    const res = await fetch(`${gateway.url}/rest/v1/things?select=id&limit=1`, { headers: { apikey: stack().anonKey, 'x-block': 'yes' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-blocked')).toBe('by pre-request');
    expect(await res.json()).toEqual({ code: 'BLOCKED', message: 'Blocked before the request', details: null, hint: 'Go away' });
  });

  it('lets the pre-request function set response headers of a read', async () => {
    const res = await fetch(`${gateway.url}/rest/v1/things?select=id&order=id&limit=1`, { headers: { apikey: stack().anonKey, 'x-echo': 'hello' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-echo')).toBe('hello');
    expect(await res.json()).toEqual([{ id: 1 }]);
  });

  it("re-reads the configuration on NOTIFY pgrst, 'reload config'", async () => {
    await sql(`alter role authenticator in database ${dbName} set pgrst.db_pre_request = 'public.cfg_other_pre_request'`);
    await reloadConfig();
    const switched = await eventually(async () => (await client.rpc('cfg_seen', {}, { get: true })).data, (v) => v === 'second');
    expect(switched).toBe('second');
    // An empty value turns it off (a plain reset would fall back to the cluster-wide setting).
    await sql(`alter role authenticator in database ${dbName} set pgrst.db_pre_request = ''`);
    await reloadConfig();
    const none = await eventually(async () => (await client.rpc('cfg_seen', {}, { get: true })).data, (v) => v === null || v === '');
    expect([null, '']).toContain(none);
    await sql(`alter role authenticator in database ${dbName} set pgrst.db_pre_request = 'public.cfg_pre_request'`);
    await reloadConfig();
    await eventually(async () => (await client.rpc('cfg_seen', {}, { get: true })).data, (v) => typeof v === 'string' && v.startsWith('first'));
  });
});

describe('REST config: database connections', () => {
  it('recovers when its pooled connections are terminated', async () => {
    await client.from('things').select('id').limit(1);
    const killed = await sql(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}' and application_name = 'stack-rest'`);
    expect(killed.rowCount).toBeGreaterThan(0);
    const statuses: number[] = [];
    const ok = await eventually(async () => {
      const res = await fetch(`${gateway.url}/rest/v1/things?select=id&limit=1`, { headers: { apikey: stack().anonKey } });
      statuses.push(res.status);
      return res.status;
    }, (status) => status === 200);
    expect(ok).toBe(200);
    // A request that met a dead connection answers 503 PGRST000, never 500.
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });
});

describe('REST config: max rows', () => {
  it('answers at most 1000 rows by default, as Supabase does', async () => {
    const res = await fetch(`${gateway.url}/rest/v1/things?select=id&order=id`, { headers: { apikey: stack().anonKey, prefer: 'count=exact' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('0-999/1005');
    expect(res.headers.get('content-profile')).toBeNull();
    expect(await res.json()).toHaveLength(1000);
  });

  it('takes pgrst.db_max_rows from the database', async () => {
    await sql(`alter role authenticator in database ${dbName} set pgrst.db_max_rows = '3'`);
    await reloadConfig();
    const rows = await eventually(async () => (await client.from('things').select('id').order('id')).data, (v) => v?.length === 3);
    expect(rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    await sql(`alter role authenticator in database ${dbName} reset pgrst.db_max_rows`);
    await reloadConfig();
    await eventually(async () => (await client.from('things').select('id').order('id')).data, (v) => v?.length === 1000);
  });
});

describe('REST config: schema cache reloads', () => {
  it("sees a new table after NOTIFY pgrst, 'reload schema', and after an empty NOTIFY", async () => {
    await sql(`create table public.late_one (id int primary key); grant select on public.late_one to anon; insert into public.late_one values (1)`);
    const before = await client.from('late_one').select('id');
    expect(before.status).toBe(404);
    await sql(`notify pgrst, 'reload schema'`);
    const after = await eventually(() => client.from('late_one').select('id'), (r) => r.status === 200);
    expect(after.data).toEqual([{ id: 1 }]);

    await sql(`create table public.late_two (id int primary key, one_id int references public.late_one (id)); grant select on public.late_two to anon; insert into public.late_two values (7, 1)`);
    await sql(`notify pgrst`);
    const embedded = await eventually(() => client.from('late_two').select('id, late_one(id)'), (r) => r.status === 200);
    expect(embedded.data).toEqual([{ id: 7, late_one: { id: 1 } }]);
  });

  it('reconnects its listener when the connection drops, reloading what it may have missed', async () => {
    const killed = await sql(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}' and application_name = 'stack-rest-listener'`);
    expect(killed.rowCount).toBe(1);
    await sql(`create table public.late_three (id int primary key); grant select on public.late_three to anon`);
    const seen = await eventually(() => client.from('late_three').select('id'), (r) => r.status === 200, 20_000);
    expect(seen.status).toBe(200);
    const listening = await eventually(
      async () => Number((await sql(`select count(*)::int as n from pg_stat_activity where datname = '${dbName}' and application_name = 'stack-rest-listener'`)).rows[0].n),
      (n) => n === 1,
    );
    expect(listening).toBe(1);
    await sql(`create table public.late_four (id int primary key); grant select on public.late_four to anon`);
    await sql(`notify pgrst, 'reload schema'`);
    expect((await eventually(() => client.from('late_four').select('id'), (r) => r.status === 200)).status).toBe(200);
  });
});
