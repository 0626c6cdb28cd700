// A REST service of its own over a private database of the test cluster, behind a gateway: for tests that
// change the in-database configuration (pgrst.db_plan_enabled, pgrst.db_max_rows), which every request of
// the shared stack would see.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import pg from 'pg';
import WebSocket from 'ws';
import { configFromEnv } from '../config.ts';
import { startGateway, type Gateway } from '../gateway.ts';
import { createMetrics } from '../metrics.ts';
import { createRestService } from '../rest/index.ts';
import type { Service } from '../service.ts';
import { adminDb, bootstrappedDatabase, uniqueSuffix } from './support.ts';

export interface PrivateRest {
  /** The gateway's URL (`/rest/v1/...` below it). */
  url: string;
  /** `postgres` pool on the private database (as a project's migrations connect). */
  admin: pg.Pool;
  dbName: string;
  anon: SupabaseClient;
  service: SupabaseClient;
  /** Raw request to `/rest/v1<path>` with the given key (default: service role). */
  fetch(path: string, init?: RequestInit & { headers?: Record<string, string> }, key?: string): Promise<Response>;
  /** `ALTER ROLE authenticator IN DATABASE ... SET pgrst.<name>`, then `reload config`, waiting until it applies. */
  setConfig(name: string, value: string, applied: () => Promise<boolean>): Promise<void>;
  close(): Promise<void>;
}

const clientOptions = {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
} as const;

/** Creates a bootstrapped database, runs `setupSql` in it, and serves it with `pgrst.*` settings applied. */
export async function startPrivateRest(prefix: string, setupSql: string, settings: Record<string, string> = {}): Promise<PrivateRest> {
  const dbName = `${prefix}_${uniqueSuffix().replaceAll('-', '')}`;
  const { url: dbUrl } = await bootstrappedDatabase(dbName);
  const url = new URL(dbUrl);
  const admin = new pg.Pool({ connectionString: url.toString(), max: 4 });
  await admin.query(setupSql);
  for (const [name, value] of Object.entries(settings)) await admin.query(`alter role authenticator in database ${dbName} set pgrst.${name} = '${value}'`);
  const config = configFromEnv(process.env, { apiPort: 0, schemas: ['public'], databaseUrl: url.toString() });
  let service: Service | undefined;
  let gateway: Gateway | undefined;
  try {
    service = await createRestService({ config, databaseUrl: url.toString(), adminPool: admin, metrics: createMetrics(admin), log: () => {} });
    gateway = await startGateway({ config, services: { rest: service }, health: async () => ({ status: 'ok' }), log: () => {} });
  } catch (err) {
    await service?.close();
    await admin.end();
    throw err;
  }
  const gatewayUrl = gateway.url;
  const close = async () => {
    await gateway?.close();
    await service?.close();
    await admin.end();
    // pool.end() resolves before the server has seen every client go; a forced drop meanwhile would
    // hit a closing client with a FATAL nobody listens for.
    for (let i = 0; i < 50; i++) {
      const { rows } = await adminDb().query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [dbName]);
      if (rows[0]?.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await adminDb().query(`drop database if exists ${dbName} with (force)`);
  };
  return {
    url: gatewayUrl,
    admin,
    dbName,
    anon: createClient(gatewayUrl, config.anonKey, clientOptions),
    service: createClient(gatewayUrl, config.serviceRoleKey, clientOptions),
    fetch: (path, init = {}, key = config.serviceRoleKey) =>
      fetch(`${gatewayUrl}/rest/v1${path}`, { ...init, headers: { apikey: key, authorization: `Bearer ${key}`, ...init.headers } }),
    async setConfig(name, value, applied) {
      await admin.query(`alter role authenticator in database ${dbName} set pgrst.${name} = '${value}'`);
      await admin.query(`notify pgrst, 'reload config'`);
      const deadline = Date.now() + 15_000;
      while (!(await applied())) {
        if (Date.now() > deadline) throw new Error(`pgrst.${name} = ${value} did not apply within 15 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close,
  };
}
