import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { JwtClaims } from '../jwt.ts';

export type Extension = 'broadcast' | 'presence';

/** Who asks, for which topic: what RLS policies on realtime.messages see. */
export interface AuthContext {
  topic: string;
  claims: JwtClaims & { role: string };
  /** The `x-*` headers of the WebSocket upgrade (or HTTP request), as `request.headers`. */
  headers: Record<string, string>;
}

async function asSubscriber<T>(pool: pg.Pool, ctx: AuthContext, work: (client: pg.PoolClient) => Promise<T>, before?: (client: pg.PoolClient) => Promise<unknown>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await before?.(client);
    await client.query(
      `select set_config('role', $1, true), set_config('realtime.topic', $2, true),
              set_config('request.jwt.claims', $3, true), set_config('request.jwt.claim.sub', $4, true),
              set_config('request.jwt.claim.role', $1, true), set_config('request.headers', $5, true)`,
      [ctx.claims.role, ctx.topic, JSON.stringify(ctx.claims), typeof ctx.claims.sub === 'string' ? ctx.claims.sub : '', JSON.stringify(ctx.headers)],
    );
    return await work(client);
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

/**
 * Read access as Supabase checks it: rows for the topic are inserted (by the superuser, rolled
 * back afterwards) and selected as the subscriber; a row it can see means read access.
 */
export async function readAccess(pool: pg.Pool, ctx: AuthContext, extensions: Extension[]): Promise<Record<Extension, boolean>> {
  const ids = extensions.map(() => randomUUID());
  const visible = await asSubscriber(
    pool,
    ctx,
    async (client) => new Set((await client.query<{ id: string }>('select id from realtime.messages where id = any($1::uuid[])', [ids])).rows.map((r) => r.id)),
    (client) => client.query(`insert into realtime.messages (id, topic, extension) select unnest($1::uuid[]), $2, unnest($3::text[])`, [ids, ctx.topic, extensions]),
  );
  return { broadcast: false, presence: false, ...Object.fromEntries(extensions.map((ext, i) => [ext, visible.has(ids[i]!)])) };
}

/** Write access: an insert into realtime.messages as the subscriber that RLS lets through. */
export async function writeAccess(pool: pg.Pool, ctx: AuthContext, extension: Extension): Promise<boolean> {
  return asSubscriber(pool, ctx, async (client) => {
    try {
      await client.query('insert into realtime.messages (topic, extension) values ($1, $2)', [ctx.topic, extension]);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === '42501') return false;
      throw err;
    }
  });
}
