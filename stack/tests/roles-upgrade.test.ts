// A data directory made by a stack from before the hosted role model (postgres as initdb's user).
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../config.ts';
import { startEmbeddedPostgres } from '../postgres.ts';
import { startStack } from '../start.ts';
import { freePort, tempDataDir } from '../throwaway.ts';

const legacyBootstrap = readFileSync(path.join(import.meta.dirname, 'legacy/bootstrap-before-roles.sql'), 'utf8');

describe('a cluster made by an older stack', () => {
  let dataDir: string;
  let dbPort: number;

  beforeAll(async () => {
    dataDir = await tempDataDir('stack-legacy');
    dbPort = await freePort();
    const old = await startEmbeddedPostgres({ dataDir, port: dbPort, log: () => undefined, superuser: 'postgres' });
    const client = new pg.Client({ connectionString: old.adminUrl });
    await client.connect();
    try {
      await client.query(legacyBootstrap);
      await client.query(`create table public.legacy_notes (id int primary key, body text); insert into public.legacy_notes values (1, 'kept')`);
    } finally {
      await client.end();
      await old.stop();
    }
  }, 120_000);

  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('is refused at start with what to do, and npm run db:reset moves it aside and starts afresh', async () => {
    const config = configFromEnv(process.env, { apiPort: 0, dbPort, dataDir, databaseUrl: undefined, quiet: true });
    await expect(startStack(config, { log: () => undefined })).rejects.toThrow(/cannot be upgraded in place\. Run `npm run db:reset`/);

    const lines: string[] = [];
    await startStack(config, { reset: true, migrateOnly: true, log: (line) => lines.push(line) });
    expect(lines).toContain(`moved the cluster made by an older stack to ${path.join(dataDir, 'pg-before-roles')}`);
    expect(existsSync(path.join(dataDir, 'pg-before-roles', 'PG_VERSION'))).toBe(true);

    const fresh = await startEmbeddedPostgres({ dataDir, port: dbPort, log: () => undefined });
    const client = new pg.Client({ connectionString: fresh.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ rolname: string; rolsuper: boolean }>(`select rolname, rolsuper from pg_roles where rolname in ('postgres', 'supabase_admin') order by 1`);
      expect(rows).toEqual([{ rolname: 'postgres', rolsuper: false }, { rolname: 'supabase_admin', rolsuper: true }]);
      expect((await client.query(`select count(*)::int as n from supabase_migrations.schema_migrations`)).rows[0].n).toBeGreaterThan(0);
    } finally {
      await client.end();
      await fresh.stop();
    }
  }, 240_000);
});
