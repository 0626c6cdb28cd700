// A private Postgres holding only the platform bootstrap and the migrations (no seed, no test
// fixtures), on a free port in a temporary directory, removed afterwards.
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bootstrap, migrate } from '../migrate.ts';
import { startEmbeddedPostgres } from '../postgres.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function withMigratedDatabase<T>(supabaseDir: string, log: (line: string) => void, use: (databaseUrl: string) => Promise<T>): Promise<T> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gen-types-'));
  try {
    await fs.chmod(dataDir, 0o755); // Postgres runs as the `postgres` user when we are root.
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
