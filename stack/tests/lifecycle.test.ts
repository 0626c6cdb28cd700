import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv, type StackConfig } from '../config.ts';
import { bootstrap, MigrationError } from '../migrate.ts';
import { startStack } from '../start.ts';
import { freePort, tempDataDir } from '../throwaway.ts';
import { adminDb, db } from './support.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await tempDataDir('stack-lifecycle');
  dirs.push(dir);
  return dir;
}

/** A stack config on its own ports and data dir, with a supabase/ folder holding the given files. */
async function isolatedConfig(files: Record<string, string>): Promise<StackConfig> {
  const root = await tempDir();
  for (const [name, sql] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, 'supabase', name)), { recursive: true });
    await fs.writeFile(path.join(root, 'supabase', name), sql);
  }
  return configFromEnv({}, { apiPort: 0, dbPort: await freePort(), dataDir: path.join(root, 'data'), supabaseDir: path.join(root, 'supabase'), databaseUrl: undefined });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('stack lifecycle', () => {
  it('stops on a failing migration with the file, line and Postgres error, and keeps earlier ones', async () => {
    const config = await isolatedConfig({
      'migrations/20250101000000_ok.sql': 'create table public.ok_table (id int primary key);\n',
      'migrations/20250102000000_bad.sql': 'create table public.half_done (id int);\n\nselect * from public.no_such_table;\n',
    });
    const error = await startStack(config, { log: () => {}, migrateOnly: true }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/^supabase\/migrations\/20250102000000_bad\.sql:3: relation "public\.no_such_table" does not exist \(SQLSTATE 42P01\)/);

    // Start again without migrations, to look at what the failed start left.
    const look = await startStack({ ...config, supabaseDir: path.join(config.dataDir, 'none') }, { log: () => {} });
    try {
      expect(await query(look.dbUrl, 'select version, name from supabase_migrations.schema_migrations')).toEqual([{ version: '20250101000000', name: 'ok' }]);
      expect(await query(look.dbUrl, `select to_regclass('public.half_done') as t`)).toEqual([{ t: null }]);
    } finally {
      await look.stop();
    }
  });

  it('seeds a fresh database, and db:reset re-creates it from migrations and seed', async () => {
    const config = await isolatedConfig({
      'migrations/20250101000000_items.sql': 'create table public.items (name text primary key);\nrevoke insert on public.items from anon;\n',
      'seed.sql': `insert into public.items values ('seeded');\n`,
    });
    const stack = await startStack(config, { log: () => {} });
    try {
      expect(await query(stack.dbUrl, 'select name from public.items')).toEqual([{ name: 'seeded' }]);
      await query(stack.dbUrl, `insert into public.items values ('added')`);
    } finally {
      await stack.stop();
    }
    const restarted = await startStack(config, { log: () => {} });
    try {
      // A restart keeps data and does not seed again.
      expect(await query(restarted.dbUrl, 'select name from public.items order by name')).toEqual([{ name: 'added' }, { name: 'seeded' }]);
      // ...and the bootstrap that runs again does not undo the migrations' privileges.
      expect(await query(restarted.dbUrl, `select has_table_privilege('anon', 'public.items', 'insert') as can_insert, has_table_privilege('anon', 'public.items', 'select') as can_select`)).toEqual([{ can_insert: false, can_select: true }]);
    } finally {
      await restarted.stop();
    }
    await startStack(config, { log: () => {}, reset: true, migrateOnly: true });
    const reset = await startStack(config, { log: () => {} });
    try {
      expect(await query(reset.dbUrl, 'select name from public.items')).toEqual([{ name: 'seeded' }]);
    } finally {
      await reset.stop();
    }
  });

  it('recovers the data directory from a stack that was killed with SIGKILL', async () => {
    const config = await isolatedConfig({});
    const apiPort = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'stack/main.ts'], {
      cwd: process.cwd(),
      env: { ...process.env, STACK_DATA_DIR: config.dataDir, STACK_DB_PORT: String(config.dbPort), STACK_API_PORT: String(apiPort), STACK_SUPABASE_DIR: config.supabaseDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stack did not start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('stack ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const pid = Number((await fs.readFile(path.join(config.dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(() => process.kill(pid, 0)).not.toThrow(); // the orphaned postmaster still holds the directory

    const lines: string[] = [];
    const stack = await startStack(config, { log: (line) => lines.push(line) });
    try {
      expect(lines.some((l) => l.includes(`stale postmaster (pid ${pid})`))).toBe(true);
      const res = await fetch(`${stack.apiUrl}/health`);
      expect(res.status).toBe(200);
    } finally {
      await stack.stop();
    }
  });

  it('bootstrap is idempotent: running it again changes nothing', async () => {
    const fingerprint = `
      select
        (select json_agg(r order by r) from (select rolname || rolsuper || rolinherit || rolbypassrls || rolcanlogin || rolcreaterole || rolreplication r from pg_roles where rolname in ('anon','authenticated','service_role','authenticator','postgres','supabase_admin','supabase_auth_admin','supabase_realtime_admin')) x) as roles,
        (select count(*) from pg_auth_members) as memberships,
        (select json_agg(nspname || coalesce(array_to_string(nspacl, ','), '') order by nspname) from pg_namespace where nspname in ('auth','extensions','realtime','public','supabase_migrations')) as schemas,
        (select json_agg(c.oid::regclass::text || coalesce(array_to_string(c.relacl, ','), '') || c.relrowsecurity order by c.oid::regclass::text) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'auth') as auth_tables,
        (select json_agg(p.oid::regprocedure::text || md5(p.prosrc) order by p.oid::regprocedure::text) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('auth','realtime')) as functions,
        (select json_agg(pubname order by pubname) from pg_publication) as publications,
        (select count(*) from pg_default_acl) as default_acls`;
    const before = (await db().query(fingerprint)).rows[0];
    const client = await adminDb().connect();
    try {
      await bootstrap(client);
      await bootstrap(client);
    } finally {
      client.release();
    }
    expect((await db().query(fingerprint)).rows[0]).toEqual(before);
    expect(before.publications).toContain('supabase_realtime');
  });
});
