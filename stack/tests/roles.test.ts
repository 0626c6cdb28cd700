// Supabase's role model (stack/README.md, Roles): the catalog per role, who the services log in
// as, and migrations run as a `postgres` that is no superuser, failing where hosted Supabase fails.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, migrate, MigrationError } from '../migrate.ts';
import { ROLES, urlAs } from '../roles.ts';
import { adminDb, anonClient, db, serviceClient, stack } from './support.ts';

interface RoleRow {
  rolname: string;
  rolsuper: boolean;
  rolinherit: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
  rolcanlogin: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
  member_of: string[];
  admin_of: string[];
  config: string[];
}

const ROLE_SQL = `
  select r.rolname, r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls,
         coalesce((select array_agg(g.rolname::text order by g.rolname) from pg_auth_members m join pg_roles g on g.oid = m.roleid
                    where m.member = r.oid and (m.inherit_option or m.set_option)), '{}') as member_of,
         coalesce((select array_agg(g.rolname::text order by g.rolname) from pg_auth_members m join pg_roles g on g.oid = m.roleid
                    where m.member = r.oid and m.admin_option), '{}') as admin_of,
         coalesce((select array_agg(c order by c) from pg_db_role_setting s, unnest(s.setconfig) c
                    where s.setrole = r.oid and s.setdatabase = 0), '{}') as config
    from pg_roles r where r.rolname = any($1)`;

// [super, inherit, createrole, createdb, login, replication, bypassrls]
const expected: Record<string, { attrs: boolean[]; member_of: string[]; admin_of?: string[]; config: string[] }> = {
  supabase_admin: { attrs: [true, true, true, true, true, true, true], member_of: [], config: ['search_path="$user", public, auth, extensions'] },
  postgres: {
    attrs: [false, true, true, true, true, true, true],
    member_of: ['anon', 'authenticated', 'pg_monitor', 'pg_read_all_data', 'pg_signal_backend', 'service_role', 'supabase_superuser'],
    admin_of: ['anon', 'authenticated', 'authenticator', 'service_role'],
    config: ['search_path="$user", public, extensions'],
  },
  anon: { attrs: [false, true, false, false, false, false, false], member_of: [], config: ['statement_timeout=3s'] },
  authenticated: { attrs: [false, true, false, false, false, false, false], member_of: [], config: ['statement_timeout=8s'] },
  service_role: { attrs: [false, true, false, false, false, false, true], member_of: [], config: [] },
  authenticator: { attrs: [false, false, false, false, true, false, false], member_of: ['anon', 'authenticated', 'service_role'], config: ['lock_timeout=8s', 'statement_timeout=8s'] },
  supabase_auth_admin: { attrs: [false, false, false, false, true, false, false], member_of: [], config: ['idle_in_transaction_session_timeout=60000', 'search_path=auth'] },
  supabase_realtime_admin: { attrs: [false, false, true, false, true, true, false], member_of: ['anon', 'authenticated', 'service_role'], config: ['search_path=public, extensions, realtime'] },
  supabase_replication_admin: { attrs: [false, true, false, false, true, true, false], member_of: [], config: [] },
  supabase_read_only_user: { attrs: [false, true, false, false, true, false, true], member_of: ['pg_read_all_data'], config: [] },
};

describe('roles as hosted Supabase has them', () => {
  it('has each role with the attributes, memberships and settings of a new hosted project', async () => {
    const { rows } = await adminDb().query<RoleRow>(ROLE_SQL, [Object.keys(expected)]);
    const actual = Object.fromEntries(rows.map((r) => [r.rolname, {
      attrs: [r.rolsuper, r.rolinherit, r.rolcreaterole, r.rolcreatedb, r.rolcanlogin, r.rolreplication, r.rolbypassrls],
      member_of: r.member_of,
      ...(r.rolname === 'postgres' ? { admin_of: r.admin_of } : {}),
      config: r.config,
    }]));
    expect(actual).toEqual(expected);
  });

  it('postgres owns the project: the database, public, and what the migrations created', async () => {
    const { rows } = await db().query<{ db_owner: string; tables_not_postgres: string[]; migrations: number }>(`
      select pg_get_userbyid(d.datdba) as db_owner,
             coalesce((select array_agg(c.relname::text) from pg_class c where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace)
                        and c.relkind in ('r', 'v', 'S') and c.relowner <> 'postgres'::regrole), '{}') as tables_not_postgres,
             (select count(*)::int from supabase_migrations.schema_migrations) as migrations
        from pg_database d where d.datname = current_database()`);
    const files = (await fs.readdir(path.join(process.cwd(), 'supabase/migrations'))).filter((f) => f.endsWith('.sql'));
    expect(rows[0]).toEqual({ db_owner: 'postgres', tables_not_postgres: [], migrations: files.length });
  });

  it('the services log in as their hosted roles, none of them a superuser', async () => {
    // Make Auth, REST and Realtime use their pools (a Postgres Changes join checks the binding there).
    await serviceClient().auth.admin.listUsers({ perPage: 1 });
    const client = anonClient();
    await client.from('products').select('id').limit(1);
    const channel = client.channel(`roles-${randomUUID()}`).on('postgres_changes', { event: '*', schema: 'public', table: 'products' }, () => {});
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status, err) => (status === 'SUBSCRIBED' ? resolve() : status !== 'CLOSED' ? reject(err ?? new Error(status)) : undefined)),
    );
    const { rows } = await adminDb().query<{ application_name: string; usename: string; rolsuper: boolean }>(`
      select distinct a.application_name, a.usename::text, r.rolsuper
        from pg_stat_activity a join pg_roles r on r.oid = a.usesysid
       where a.datname = current_database() and a.application_name like 'stack%' and a.application_name <> 'stack-bootstrap'
       order by 1`);
    const byApp = Object.fromEntries(rows.map((r) => [r.application_name, r.usename]));
    expect(byApp).toMatchObject({
      stack: 'postgres',
      'stack-auth': 'supabase_auth_admin',
      'stack-rest': 'authenticator',
      'stack-rest-listener': 'authenticator',
      stack_realtime: 'supabase_realtime_admin',
      stack_realtime_replication: 'supabase_realtime_admin',
    });
    expect(rows.filter((r) => r.rolsuper)).toEqual([]);
    await client.removeAllChannels();
  });
});

describe('migrations as postgres', () => {
  const dbName = `roles_${randomUUID().slice(0, 8)}`;
  let adminUrl: string;
  let dir: string;

  /** Applies one migration file (bootstrap first) to a fresh database; the runner's error, if any. */
  async function apply(sql: string): Promise<string | undefined> {
    await fs.rm(path.join(dir, 'migrations'), { recursive: true, force: true });
    await fs.mkdir(path.join(dir, 'migrations'));
    await fs.writeFile(path.join(dir, 'migrations', `20990101000000_test.sql`), sql);
    const client = new pg.Client({ connectionString: urlAs(adminUrl, ROLES.postgres) });
    await client.connect();
    try {
      await client.query('delete from supabase_migrations.schema_migrations');
      await migrate(client, dir, () => {});
      return undefined;
    } catch (err) {
      if (!(err instanceof MigrationError)) throw err;
      return err.message;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    await adminDb().query(`create database ${dbName}`);
    const url = new URL(stack().adminDbUrl);
    url.pathname = `/${dbName}`;
    adminUrl = url.toString();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await bootstrap(admin);
    } finally {
      await admin.end();
    }
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roles-test-'));
  });

  afterAll(async () => {
    await adminDb().query(`drop database if exists ${dbName} with (force)`);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([
    // `alter system` itself cannot run in a migration's transaction (25001), here as with the CLI.
    ['a superuser-only setting', `set log_parser_stats = on;`, 'permission denied to set parameter "log_parser_stats"'],
    ['a superuser-only setting for a role', `alter role authenticated in database postgres set log_parser_stats = on;`, 'permission denied to set parameter "log_parser_stats"'],
    ['a function in C', `create function f() returns int language c as 'libc', 'abs';`, 'permission denied for language c'],
    ['a superuser role', `create role someone superuser;`, 'permission denied to create role'],
    ['copy from a program', `create table t (a text); copy t from program 'id';`, 'permission denied to COPY to or from an external program'],
    ['reading a server file', `select pg_read_file('/etc/passwd');`, 'permission denied for function pg_read_file'],
    ['an extension hosted does not allow', `create extension file_fdw;`, 'permission denied to create extension "file_fdw"'],
  ])('%s fails with the error hosted Supabase gives, and the runner says so', async (_what, sql, message) => {
    const error = await apply(sql);
    expect(error).toContain(`supabase/migrations/20990101000000_test.sql`);
    expect(error).toContain(`${message}`);
    expect(error).toContain('(SQLSTATE 42501)');
    expect(error).toContain('This would fail on hosted Supabase too');
  });

  it('what supautils lets postgres do on hosted Supabase works here too', async () => {
    const error = await apply(`
      create policy "members read" on realtime.messages for select to authenticated using (true);
      alter policy "members read" on realtime.messages using (extension = 'broadcast');
      drop policy "members read" on realtime.messages;
      create policy "own row" on auth.users for select to authenticated using (id = auth.uid());
      drop policy "own row" on auth.users;
      alter role authenticator in database ${dbName} set pgrst.db_max_rows = '10';
      alter role authenticated in database ${dbName} set statement_timeout = '9s';
      set session_replication_role = replica;
      create extension if not exists pg_trgm with schema extensions;
      create table public.items (id int primary key);
      alter publication supabase_realtime add table public.items;
    `);
    expect(error).toBeUndefined();
    const { rows } = await adminDb().query<{ member: boolean }>(`select pg_has_role('postgres', 'supabase_realtime_admin', 'usage') or pg_has_role('postgres', 'supabase_auth_admin', 'usage') as member`);
    expect(rows[0]!.member).toBe(false);
  });

  it('policies on platform tables outside supautils\' list stay refused, and the owners\' rights end with the statement', async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query('create table if not exists realtime.internal (id int); alter table realtime.internal owner to supabase_realtime_admin');
    } finally {
      await admin.end();
    }
    const error = await apply(`create policy "p" on realtime.internal for select using (true);`);
    expect(error).toContain('must be owner of table internal (SQLSTATE 42501)');
    expect(error).toContain('This would fail on hosted Supabase too');
    expect(await apply(`alter table realtime.messages add column extra int;`)).toContain('must be owner of table messages (SQLSTATE 42501)');
  });
});
