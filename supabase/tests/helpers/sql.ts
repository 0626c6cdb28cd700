import pg from 'pg';
import { stack } from '../../../stack/tests/support.ts';

/** Who runs a statement: the API role PostgREST would switch to, and the JWT claims it would set. */
export interface Caller {
  role: 'anon' | 'authenticated' | 'service_role';
  claims: Record<string, unknown>;
}

export const anonCaller: Caller = { role: 'anon', claims: { role: 'anon' } };
export const serviceCaller: Caller = { role: 'service_role', claims: { role: 'service_role' } };

export function userCaller(id: string, appMetadata: Record<string, unknown> = {}): Caller {
  return { role: 'authenticated', claims: { sub: id, role: 'authenticated', aud: 'authenticated', app_metadata: { provider: 'email', ...appMetadata } } };
}

/**
 * A failed statement as PostgREST would answer it: custom PGRST errors carry their body and
 * status as JSON; other SQLSTATEs map by PostgREST's table (src/PostgREST/Error.hs).
 */
export class ApiError extends Error {
  constructor(
    readonly sqlstate: string,
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details: string | null,
    readonly hint: string | null,
    readonly headers: Record<string, string>,
  ) {
    super(message);
  }
}

function statusFor(sqlstate: string, role: Caller['role']): number {
  if (sqlstate === '42501') return role === 'anon' ? 401 : 403;
  if (sqlstate.startsWith('23')) return 409;
  if (sqlstate === 'P0001') return 400;
  if (sqlstate === '42883' || sqlstate === '42P01') return 404;
  if (/^PT\d{3}$/.test(sqlstate)) return Number(sqlstate.slice(2));
  return sqlstate.startsWith('P0') || sqlstate.startsWith('XX') ? 500 : 400;
}

export function toApiError(err: unknown, role: Caller['role']): unknown {
  const e = err as pg.DatabaseError;
  if (!e || typeof e.code !== 'string') return err;
  if (e.code === 'PGRST') {
    const body = JSON.parse(e.message) as { code: string; message: string; details: string | null; hint: string | null };
    const meta = JSON.parse(e.detail ?? '{}') as { status: number; headers?: Record<string, string> };
    return new ApiError(e.code, body.code, meta.status, body.message, body.details, body.hint, meta.headers ?? {});
  }
  return new ApiError(e.code, e.code, statusFor(e.code, role), e.message, e.detail ?? null, e.hint ?? null, {});
}

let sharedPool: pg.Pool | undefined;
/** Connections for statements run as API roles (the superuser `db()` pool is for arranging data). */
export function rolePool(): pg.Pool {
  sharedPool ??= new pg.Pool({ connectionString: stack().dbUrl, max: 6 });
  return sharedPool;
}

export function newPool(max: number): pg.Pool {
  return new pg.Pool({ connectionString: stack().dbUrl, max });
}

/** Runs `work` in one transaction as `caller`, like PostgREST runs a request; commits unless `rollback`. */
export async function asCaller<T>(caller: Caller, work: (client: pg.PoolClient) => Promise<T>, opts: { pool?: pg.Pool; rollback?: boolean } = {}): Promise<T> {
  const client = await (opts.pool ?? rolePool()).connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [caller.role, JSON.stringify(caller.claims)]);
    const result = await work(client);
    await client.query(opts.rollback ? 'rollback' : 'commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw toApiError(err, caller.role);
  } finally {
    client.release();
  }
}

export interface RpcResult<T> {
  data: T;
  /** What the function put in the response.headers GUC, as PostgREST would send it. */
  headers: Record<string, string>;
}

async function callFunction<T>(caller: Caller, name: string, args: Record<string, unknown>, pool: pg.Pool | undefined): Promise<{ rows: T[]; headers: Record<string, string> }> {
  const names = Object.keys(args);
  const call = `public.${name}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')})`;
  return asCaller(caller, async (client) => {
    const { rows } = await client.query<{ data: T }>(`select to_jsonb(r) as data from ${call} r`, names.map((n) => args[n]));
    const { rows: hdr } = await client.query<{ h: string | null }>(`select current_setting('response.headers', true) as h`);
    const headers: Record<string, string> = {};
    for (const entry of JSON.parse(hdr[0]?.h || '[]') as Array<Record<string, string>>) Object.assign(headers, entry);
    return { rows: rows.map((r) => r.data), headers };
  }, { pool });
}

/** Calls public.<name>(arg => value, ...) as `caller` in its own transaction; one row or scalar back. */
export async function rpc<T = Record<string, unknown>>(caller: Caller, name: string, args: Record<string, unknown> = {}, opts: { pool?: pg.Pool } = {}): Promise<RpcResult<T>> {
  const { rows, headers } = await callFunction<T>(caller, name, args, opts.pool);
  return { data: rows[0] as T, headers };
}

/** Like rpc, for functions returning a set of rows. */
export async function rpcRows<T = Record<string, unknown>>(caller: Caller, name: string, args: Record<string, unknown> = {}): Promise<T[]> {
  return (await callFunction<T>(caller, name, args, undefined)).rows;
}

/** The ApiError a promise rejects with (fails the test when it resolves). */
export async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail, it succeeded');
}
