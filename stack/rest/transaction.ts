// One transaction per request, as PostgREST runs it (src/PostgREST/Query.hs): BEGIN (read only for
// reads), the request GUCs with set_config(..., true) including the role, the pre-request function,
// the statement, then COMMIT — or ROLLBACK for Prefer: tx=rollback and failed singular checks.
import pg from 'pg';
import type { ApiResponse } from '../service.ts';
import { ANON_ROLE, type AuthResult } from './auth.ts';
import type { DbConfig } from './db-config.ts';
import { errors, fromDatabaseError, RestError } from './errors.ts';
import type { QualifiedName } from './schema-cache.ts';
import { preparedQuery } from './prepared.ts';
import { ident, qualified } from './sql.ts';

export interface RequestContext {
  schema: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  timezone?: string;
}

export interface DbWork {
  readOnly: boolean;
  /** From a function's `set default_transaction_isolation`, else the role's setting. */
  isolation?: string | null;
  /** A called function's hoisted settings (statement_timeout, ...), set for the whole transaction. */
  settings?: Array<[string, string]>;
  /** The statements; `respond` runs after COMMIT/ROLLBACK, as PostgREST builds the response afterwards. */
  run(client: pg.PoolClient): Promise<{ rollback: boolean; respond: () => ApiResponse }>;
}

const ISOLATION: Record<string, string> = {
  'read committed': 'READ COMMITTED',
  'repeatable read': 'REPEATABLE READ',
  serializable: 'SERIALIZABLE',
};

function gucStatement(settings: Array<[string, string]>): { text: string; values: string[] } {
  const values: string[] = [];
  const calls = settings.map(([name, value]) => {
    values.push(name, value);
    return `set_config($${values.length - 1}, $${values.length}, true)`;
  });
  return { text: `select ${calls.join(', ')}`, values };
}

const isConnectionError = (err: unknown) =>
  err instanceof Error && !(err instanceof pg.DatabaseError) && /ECONNREFUSED|ECONNRESET|terminat|Connection|EPIPE|ETIMEDOUT/i.test(`${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`);

export async function runInTransaction(pool: pg.Pool, auth: AuthResult, ctx: RequestContext, config: DbConfig, work: DbWork): Promise<ApiResponse> {
  const authenticated = auth.role !== ANON_ROLE;
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    if (err instanceof Error && /timeout/i.test(err.message)) throw errors.poolTimeout();
    throw errors.connection((err as Error).message);
  }
  let broken: Error | undefined;
  try {
    const isolation = ISOLATION[work.isolation ?? config.roleIsolation.get(auth.role) ?? ''] ?? 'READ COMMITTED';
    const searchPath = [ctx.schema, ...config.extraSearchPath].map(ident).join(', ');
    const settings: Array<[string, string]> = [
      ['search_path', searchPath],
      ...(config.roleSettings.get(auth.role) ?? []),
      ['role', auth.role],
      ['request.jwt.claims', JSON.stringify(auth.claims)],
      ['request.method', ctx.method],
      ['request.path', ctx.path],
      ['request.headers', JSON.stringify(ctx.headers)],
      ['request.cookies', JSON.stringify(ctx.cookies)],
      ...(ctx.timezone ? [['timezone', ctx.timezone] as [string, string]] : []),
      ...(work.settings ?? []),
    ];
    const gucs = gucStatement(settings);
    try {
      const { rollback, respond } = await pipelined(client, [
        `BEGIN ISOLATION LEVEL ${isolation}${work.readOnly ? ' READ ONLY' : ''}`,
        preparedQuery(client, gucs.text, gucs.values),
        ...(config.preRequest ? [preparedQuery(client, `select ${preRequestCall(config.preRequest)}`, [])] : []),
      ], work);
      if (rollback) {
        await client.query('SET CONSTRAINTS ALL IMMEDIATE');
        await client.query('ROLLBACK');
      } else await client.query('COMMIT');
      return respond();
    } catch (err) {
      if (err instanceof RestError || err instanceof pg.DatabaseError) await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } catch (err) {
    if (err instanceof pg.DatabaseError) throw fromDatabaseError(err, authenticated);
    if (isConnectionError(err)) {
      broken = err as Error;
      throw errors.connection((err as Error).message);
    }
    if (!(err instanceof RestError)) broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * BEGIN, the GUCs, the pre-request call and the statement's first query, sent in one socket write
 * and answered in one round trip (the pool's clients run in pipeline mode: each query is its own
 * Sync group). The server still runs them one after the other, each seeing the settings before it;
 * after a failure the rest fail with "transaction aborted", so the first error is the one reported,
 * as when they ran one at a time.
 */
async function pipelined(client: pg.PoolClient, opening: Array<string | pg.QueryConfig>, work: DbWork): ReturnType<DbWork['run']> {
  const socket = client.connection.stream;
  socket.cork();
  let opened: Array<Promise<pg.QueryResult>>;
  let ran: ReturnType<DbWork['run']>;
  try {
    opened = opening.map((query) => client.query(query));
    ran = work.run(client);
  } finally {
    socket.uncork();
  }
  const settled = await Promise.allSettled([...opened, ran]);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return ran;
}

function preRequestCall(fn: QualifiedName): string {
  return `${qualified(fn.schema, fn.name)}()`;
}
