// The REST service: PostgREST v12 semantics over a pool connected as `authenticator`.
import type { ApiRequest, ApiResponse, Service, ServiceContext } from '../service.ts';
import { parseApiRequest, type RestRequest } from './api-request.ts';
import { authenticate } from './auth.ts';
import { createPool } from '../pool.ts';
import { CastResolver } from './casts.ts';
import { loadDbConfig, type DbConfig } from './db-config.ts';
import type { Env } from './env.ts';
import { errors, RestError } from './errors.ts';
import { listenForReloads } from './listener.ts';
import { planMutation } from './mutation.ts';
import { planOpenApi } from './openapi.ts';
import { planReadRequest } from './read.ts';
import { errorResponse } from './response.ts';
import { planRpc } from './rpc.ts';
import { loadSchemaCache, type SchemaCache } from './schema-cache.ts';
import { ident } from './sql.ts';
import { runInTransaction, type DbWork } from './transaction.ts';

const POOL_SIZE = 20;
const SERVICE_ROLE = 'service_role';

/** Hosted Supabase's answer (since March 2026) to the OpenAPI document asked for with anything but a secret key. */
const OPENAPI_FORBIDDEN: ApiResponse = {
  status: 403,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify({ message: 'Access to schema is forbidden', hint: 'Accessing the schema via the Data API is only allowed using a secret API key.' }),
};

function authenticatorUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.username = 'authenticator';
  url.password = 'postgres';
  return url.toString();
}

function planFor(req: RestRequest, env: Env): DbWork {
  switch (req.action.kind) {
    case 'read':
      return planReadRequest(req, env);
    case 'mutate':
      return planMutation(req, env);
    case 'rpc':
      return planRpc(req, env);
    case 'openapi':
      return planOpenApi(req, env);
  }
}

export async function createRestService(ctx: ServiceContext): Promise<Service> {
  const connectionString = authenticatorUrl(ctx.databaseUrl);
  const pool = createPool(
    { connectionString, application_name: 'stack-rest', max: POOL_SIZE, pipeline: true, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 },
    'rest: connection error',
    ctx.log,
  );
  ctx.metrics.gauge('pgrst_db_pool_max', 'Connections the REST pool may open.', () => POOL_SIZE);
  ctx.metrics.gauge('pgrst_db_pool_available', 'Connections the REST pool may still hand out: idle ones and ones not yet opened.', () => POOL_SIZE - pool.totalCount + pool.idleCount);
  ctx.metrics.gauge('pgrst_db_pool_waiting', 'Requests waiting for a REST pool connection.', () => pool.waitingCount);
  const schemas = ctx.config.schemas;
  const casts = new CastResolver(pool);

  let cache: SchemaCache | undefined;
  let config: DbConfig | undefined;
  let reloading: Promise<void> | undefined;
  let again = false;

  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelayMs = 1000;
  const loadAll = async () => {
    try {
      [cache, config] = await Promise.all([loadSchemaCache(ctx.adminPool, schemas), loadDbConfig(ctx.adminPool, ctx.log)]);
      casts.clear();
      retryDelayMs = 1000;
    } catch (err) {
      // Like PostgREST: keep serving the previous cache (or 503 without one) and retry with a growing delay.
      ctx.log(`rest: could not load the schema cache, retrying in ${retryDelayMs / 1000}s: ${(err as Error).message}`);
      retryTimer ??= setTimeout(() => {
        retryTimer = undefined;
        void reload();
      }, retryDelayMs);
      retryDelayMs = Math.min(retryDelayMs * 2, 32_000);
    }
  };
  /** Coalesces reload requests: one runs at a time, and one more follows if asked meanwhile. */
  const reload = (): Promise<void> => {
    if (reloading) {
      again = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        again = false;
        await loadAll();
      } while (again);
      reloading = undefined;
    })();
    return reloading;
  };

  await reload();
  const listener = await listenForReloads({ connectionString, onSchema: () => void reload(), onConfig: () => void reload(), log: ctx.log });

  return {
    async handle(req: ApiRequest): Promise<ApiResponse> {
      try {
        const auth = authenticate(req.headers, ctx.config.jwtSecret);
        if (reloading) await reloading;
        if (!cache || !config) throw errors.noSchemaCache();
        const request = parseApiRequest(req, cache.schemas, cache.timezones);
        if (request.action.kind === 'openapi' && auth.role !== SERVICE_ROLE) return OPENAPI_FORBIDDEN;
        const searchPath = [request.schema, ...config.extraSearchPath].map(ident).join(', ');
        const env: Env = { cache, config, casts: await casts.resolve(request.query.select, searchPath) };
        const work = planFor(request, env);
        return await runInTransaction(pool, auth, { ...request, ...(request.prefs.timezone && { timezone: request.prefs.timezone }) }, config, work);
      } catch (err) {
        if (err instanceof RestError) return errorResponse(err);
        ctx.log(`rest: ${req.method} ${req.path}: ${(err as Error).stack ?? err}`);
        return errorResponse(new RestError(500, { code: 'PGRSTX00', message: 'Internal error in the local REST server', details: String((err as Error).message ?? err), hint: null }));
      }
    },
    async close() {
      if (retryTimer) clearTimeout(retryTimer);
      await listener.close();
      await pool.end();
    },
  };
}
