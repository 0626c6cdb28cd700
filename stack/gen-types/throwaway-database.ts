// A private Postgres holding only the platform bootstrap and the migrations (no seed, no test
// fixtures), on a free port in a temporary directory, removed afterwards.
import fs from 'node:fs/promises';
import pg from 'pg';
import { bootstrap, migrate } from '../migrate.ts';
import { startEmbeddedPostgres } from '../postgres.ts';
import { freePort, tempDataDir } from '../throwaway.ts';

export async function withMigratedDatabase<T>(supabaseDir: string, log: (line: string) => void, use: (databaseUrl: string) => Promise<T>): Promise<T> {
  const dataDir = await tempDataDir('gen-types');
  try {
    const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), log });
    try {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        await bootstrap(client);
        await migrate(client, supabaseDir, log);
      } finally {
        await client.end();
      }
      return await use(postgres.url);
    } finally {
      await postgres.stop();
    }
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
