import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const bootstrapSql = readFileSync(fileURLToPath(new URL('./bootstrap.sql', import.meta.url)), 'utf8');
/** The auth.* tables of GoTrue's flows (MFA, PKCE, one-time tokens), run right after bootstrap.sql. */
const authSchemaSql = readFileSync(fileURLToPath(new URL('./auth/schema.sql', import.meta.url)), 'utf8');

export class MigrationError extends Error {}

function lineOf(sql: string, position: string | undefined): number | undefined {
  const offset = Number(position);
  if (!Number.isInteger(offset) || offset <= 0) return undefined;
  return sql.slice(0, offset - 1).split('\n').length;
}

function describe(file: string, sql: string, err: unknown): string {
  const e = err as pg.DatabaseError;
  const line = lineOf(sql, e.position);
  const where = line ? `${file}:${line}` : file;
  const extra = [e.detail && `detail: ${e.detail}`, e.hint && `hint: ${e.hint}`].filter(Boolean).join('; ');
  return `${where}: ${e.message}${e.code ? ` (SQLSTATE ${e.code})` : ''}${extra ? ` — ${extra}` : ''}`;
}

async function runFile(client: pg.ClientBase, file: string, sql: string, after?: () => Promise<unknown>) {
  await client.query('begin');
  try {
    await client.query(sql);
    await after?.();
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw new MigrationError(describe(file, sql, err));
  }
}

export async function bootstrap(client: pg.ClientBase): Promise<void> {
  // Serialise bootstraps of one database (several stacks may share a DATABASE_URL).
  await client.query('select pg_advisory_lock(5432100)');
  try {
    await runFile(client, 'stack/bootstrap.sql', bootstrapSql);
    await runFile(client, 'stack/auth/schema.sql', authSchemaSql);
  } finally {
    await client.query('select pg_advisory_unlock(5432100)');
  }
}

/**
 * Applies supabase/migrations/*.sql in filename order, each in its own transaction, recorded in
 * supabase_migrations.schema_migrations as the Supabase CLI does. Returns the files applied.
 */
export async function migrate(client: pg.ClientBase, supabaseDir: string, log: (line: string) => void): Promise<{ applied: string[]; fresh: boolean }> {
  const dir = path.join(supabaseDir, 'migrations');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sql')).sort() : [];
  const done = new Set((await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations')).rows.map((r) => r.version));
  const fresh = done.size === 0;
  const applied: string[] = [];
  for (const file of files) {
    const match = /^(\d+)_?(.*)\.sql$/.exec(file);
    if (!match) throw new MigrationError(`supabase/migrations/${file}: file names must start with a timestamp, like 20250101000000_name.sql`);
    const [, version, name] = match as unknown as [string, string, string];
    if (done.has(version)) continue;
    const sql = readFileSync(path.join(dir, file), 'utf8');
    log(`applying migration ${file}`);
    await runFile(client, `supabase/migrations/${file}`, sql, () =>
      client.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [version, name, [sql]]),
    );
    applied.push(file);
  }
  if (applied.length > 0) await client.query(`notify pgrst, 'reload schema'`);
  return { applied, fresh };
}

export async function seed(client: pg.ClientBase, supabaseDir: string, log: (line: string) => void): Promise<void> {
  const file = path.join(supabaseDir, 'seed.sql');
  if (!existsSync(file)) return;
  log('running supabase/seed.sql');
  await runFile(client, 'supabase/seed.sql', readFileSync(file, 'utf8'));
}

/**
 * A stack's Realtime holds a temporary logical slot on its database while it runs, and
 * `drop database ... with (force)` refuses to drop a database with a slot: end the walsenders of
 * the stack's slots (named stack_realtime_*) on that database and wait until Postgres drops them.
 */
async function dropRealtimeSlots(client: pg.Client, database: string): Promise<void> {
  const slots = `select slot_name, active_pid, temporary from pg_replication_slots where database = $1 and slot_name like 'stack\\_realtime\\_%'`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await client.query<{ slot_name: string; active_pid: number | null; temporary: boolean }>(slots, [database]);
    if (rows.length === 0) return;
    for (const slot of rows) {
      if (slot.active_pid !== null) await client.query('select pg_terminate_backend($1)', [slot.active_pid]);
      else if (!slot.temporary) await client.query('select pg_drop_replication_slot($1)', [slot.slot_name]);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Drops and re-creates the database, so bootstrap, migrations and seed start from nothing. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  url.pathname = name === 'template1' ? '/postgres' : '/template1';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const ident = client.escapeIdentifier(name);
    await dropRealtimeSlots(client, name);
    await client.query(`drop database if exists ${ident} with (force)`);
    await client.query(`create database ${ident}`);
  } finally {
    await client.end();
  }
}
