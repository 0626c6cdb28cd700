import pg from 'pg';
import { createAuthService } from './auth/index.ts';
import { databaseUrlFor, type StackConfig } from './config.ts';
import { startGateway } from './gateway.ts';
import { startMailServer } from './mail/server.ts';
import { MailStore } from './mail/store.ts';
import { bootstrap, migrate, recreateDatabase, seed } from './migrate.ts';
import { createMetrics } from './metrics.ts';
import { createPool } from './pool.ts';
import { startEmbeddedPostgres, type PostgresHandle } from './postgres.ts';
import { createRealtimeService } from './realtime/index.ts';
import { createRestService } from './rest/index.ts';
import type { Service, ServiceContext } from './service.ts';
import { startSweeper } from './sweeper.ts';

export interface Stack {
  apiUrl: string;
  /** The mail catcher (web page and Mailpit-style JSON API) holding every mail Auth sent. */
  mailUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  config: StackConfig;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Drop and re-create the database before bootstrapping (npm run db:reset). */
  reset?: boolean;
  /** Stop after migrations and seed, without serving the API. */
  migrateOnly?: boolean;
  log?: (line: string) => void;
}

/**
 * The catcher listens on STACK_MAIL_PORT, else on the CLI's 54324 beside the default API port
 * (falling back to a free port, said in the log, when 54324 is taken), else on a free port.
 */
async function startMailCatcher(config: StackConfig, mail: MailStore, log: (line: string) => void) {
  if (config.mailPort !== undefined) return startMailServer(mail, config.mailPort, log);
  if (config.apiPort !== 54321) return startMailServer(mail, 0, log);
  try {
    return await startMailServer(mail, 54324, log);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    const server = await startMailServer(mail, 0, log);
    log(`mail catcher: port 54324 is in use, listening on ${server.url} instead (set STACK_MAIL_PORT to choose)`);
    return server;
  }
}

/** Starts Postgres (or uses DATABASE_URL), bootstraps it, migrates, seeds a fresh database and serves the API. */
export async function startStack(config: StackConfig, opts: StartOptions = {}): Promise<Stack> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => log(`stop: ${(err as Error).message}`));
    cleanups.length = 0;
  };
  try {
    let postgres: PostgresHandle | undefined;
    if (!config.databaseUrl) {
      postgres = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.dbPort, log });
      cleanups.push(() => postgres!.stop());
    }
    const databaseUrl = postgres?.url ?? databaseUrlFor(config);
    if (opts.reset) {
      log('re-creating the database');
      await recreateDatabase(databaseUrl);
    }

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await bootstrap(client);
      const { fresh } = await migrate(client, config.supabaseDir, log);
      if (fresh) await seed(client, config.supabaseDir, log);
    } finally {
      await client.end();
    }

    if (opts.migrateOnly) {
      await stop();
      return { apiUrl: '', mailUrl: '', dbUrl: databaseUrl, anonKey: config.anonKey, serviceRoleKey: config.serviceRoleKey, jwtSecret: config.jwtSecret, config, stop: async () => {} };
    }
    // Auth's and the sweeper's transactions hold clients between queries: see createPool.
    const adminPool = createPool({ connectionString: databaseUrl, max: 10 }, 'admin pool', log);
    cleanups.push(() => adminPool.end());

    const metrics = createMetrics(adminPool);
    const mail = new MailStore();
    const mailServer = await startMailCatcher(config, mail, log);
    cleanups.push(() => mailServer.close());
    const ctx: ServiceContext = { config, databaseUrl, adminPool, metrics, mail, log };
    const services: Record<string, Service> = {};
    for (const [name, create] of [['rest', createRestService], ['auth', createAuthService], ['realtime', createRealtimeService]] as const) {
      const service = await create(ctx);
      services[name] = service;
      cleanups.push(() => service.close());
    }
    const gateway = await startGateway({
      config,
      services,
      metrics,
      log,
      health: async () => {
        const started = performance.now();
        try {
          await adminPool.query('select 1');
          return { status: 'ok', postgres: { ok: true, latency_ms: +(performance.now() - started).toFixed(2) } };
        } catch (err) {
          // Postgres is down or restarting (supervision starts it again): say so, without a trace in the log.
          return { status: 'unavailable', postgres: { ok: false, error: (err as Error).message } };
        }
      },
    });
    cleanups.push(() => gateway.close());
    const sweeper = startSweeper(adminPool, log);
    cleanups.push(() => sweeper.stop());
    return { apiUrl: gateway.url, mailUrl: mailServer.url, dbUrl: databaseUrl, anonKey: config.anonKey, serviceRoleKey: config.serviceRoleKey, jwtSecret: config.jwtSecret, config, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
