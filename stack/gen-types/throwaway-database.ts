// A private Postgres holding only the platform bootstrap and the migrations (no seed, no test
// fixtures), on a free port in a temporary directory, removed afterwards.
import fs from 'node:fs/promises';
import pg from 'pg';
import { bootstrap, migrate } from '../migrate.ts';
import { startEmbeddedPostgres } from '../postgres.ts';
import { ROLES, urlAs } from '../roles.ts';
import { freePort, tempDataDir } from '../throwaway.ts';

export async function withMigratedDatabase<T>(supabaseDir: string, log: (line: string) => void, use: (databaseUrl: string) => Promise<T>): Promise<T> {
  const dataDir = await tempDataDir('gen-types');
  try {
    const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
    try {
      const admin = new pg.Client({ connectionString: postgres.adminUrl });
      await admin.connect();
      try {
        await bootstrap(admin);
      } finally {
        await admin.end();
      }
      const client = new pg.Client({ connectionString: urlAs(postgres.adminUrl, ROLES.postgres) });
      await client.connect();
      try {
        await migrate(client, supabaseDir, log);
      } finally {
        await client.end();
      }
      // The catalog is read as supabase_admin, as the CLI's postgres-meta does.
      return await use(postgres.adminUrl);
    } finally {
      await postgres.stop();
    }
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
