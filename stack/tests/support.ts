import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import pg from 'pg';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { signJwt, type JwtClaims } from '../jwt.ts';
import { bootstrap } from '../migrate.ts';

/** The stack started by global-setup.ts for this test run. */
export const stack = () => inject('stack');

const clientOptions = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
} as const;

export function anonClient(): SupabaseClient {
  return createClient(stack().apiUrl, stack().anonKey, clientOptions);
}

export function serviceClient(): SupabaseClient {
  return createClient(stack().apiUrl, stack().serviceRoleKey, clientOptions);
}

/** A client whose every request carries this JWT (signed with the stack's secret), without going through Auth. */
export function clientWithToken(token: string): SupabaseClient {
  return createClient(stack().apiUrl, stack().anonKey, { ...clientOptions, accessToken: async () => token });
}

export function tokenFor(claims: JwtClaims, ttlSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ aud: 'authenticated', role: 'authenticated', iat: now, exp: now + ttlSeconds, ...claims }, stack().jwtSecret);
}

let pool: pg.Pool | undefined;
/** Connections as `postgres` (no superuser, as on hosted Supabase), for arranging and checking data. */
export function db(): pg.Pool {
  pool ??= new pg.Pool({ connectionString: stack().dbUrl, max: 4 });
  return pool;
}

let adminPool: pg.Pool | undefined;
/** Connections as the superuser supabase_admin, for what only the platform may do. */
export function adminDb(): pg.Pool {
  adminPool ??= new pg.Pool({ connectionString: stack().adminDbUrl, max: 2 });
  return adminPool;
}

/** A user row in auth.users (no password) and a client signed in as that user by JWT. */
export async function userWithToken(appMetadata: Record<string, unknown> = {}): Promise<{ id: string; email: string; token: string; client: SupabaseClient }> {
  const id = randomUUID();
  const email = `user-${id}@example.test`;
  await db().query(
    `insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, email_confirmed_at)
     values ($1, 'authenticated', 'authenticated', $2, $3, '{}', now(), now(), now())`,
    [id, email, { provider: 'email', providers: ['email'], ...appMetadata }],
  );
  const token = tokenFor({ sub: id, email, app_metadata: { provider: 'email', ...appMetadata }, user_metadata: {}, session_id: randomUUID(), aal: 'aal1' });
  return { id, email, token, client: clientWithToken(token) };
}

export const uniqueSuffix = () => randomUUID().slice(0, 8);

/**
 * A new database on the test stack's Postgres with the platform bootstrap (run as supabase_admin),
 * for tests that need one of their own. `url` logs in as postgres, `adminUrl` as supabase_admin.
 */
export async function bootstrappedDatabase(name: string, template?: string): Promise<{ url: string; adminUrl: string }> {
  await adminDb().query(`create database ${pg.escapeIdentifier(name)}${template ? ` template ${pg.escapeIdentifier(template)}` : ''}`);
  const at = (base: string) => {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const admin = new pg.Client({ connectionString: at(stack().adminDbUrl) });
  await admin.connect();
  try {
    await bootstrap(admin);
  } finally {
    await admin.end();
  }
  return { url: at(stack().dbUrl), adminUrl: at(stack().adminDbUrl) };
}
