import path from 'node:path';
import { parseRateLimits, type AuthRateLimits } from './auth/rate-limit.ts';

/** The Supabase CLI's local defaults; `supabase start` prints the same keys. */
export const DEFAULT_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const DEFAULT_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const DEFAULT_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

export interface StackConfig {
  apiHost: string;
  apiPort: number;
  /** The mail catcher's port (STACK_MAIL_PORT). Unset: the CLI's 54324 beside the default API port 54321, else a free port. */
  mailPort?: number;
  dbPort: number;
  dataDir: string;
  /** Use this Postgres instead of starting an embedded one. */
  databaseUrl: string | undefined;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Access token lifetime in seconds. */
  jwtExpiry: number;
  /** Schemas PostgREST exposes, first is the default. */
  schemas: string[];
  /** Folder holding migrations/ and seed.sql. */
  supabaseDir: string;
  /** Site URL shown in GoTrue settings and used for redirects. */
  siteUrl: string;
  quiet: boolean;
  /** Overrides of `[auth.rate_limit]` in supabase/config.toml (the test stacks raise them). */
  authRateLimits?: Partial<AuthRateLimits>;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535 * 100_000) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<StackConfig> = {}): StackConfig {
  const root = process.cwd();
  return {
    apiHost: env.STACK_API_HOST ?? '127.0.0.1',
    apiPort: intFromEnv(env, 'STACK_API_PORT', 54321),
    dbPort: intFromEnv(env, 'STACK_DB_PORT', 54322),
    mailPort: env.STACK_MAIL_PORT ? intFromEnv(env, 'STACK_MAIL_PORT', 54324) : undefined,
    dataDir: path.resolve(root, env.STACK_DATA_DIR ?? '.stack'),
    databaseUrl: env.DATABASE_URL || undefined,
    jwtSecret: env.STACK_JWT_SECRET ?? DEFAULT_JWT_SECRET,
    anonKey: env.STACK_ANON_KEY ?? DEFAULT_ANON_KEY,
    serviceRoleKey: env.STACK_SERVICE_ROLE_KEY ?? DEFAULT_SERVICE_ROLE_KEY,
    jwtExpiry: intFromEnv(env, 'STACK_JWT_EXPIRY', 3600),
    schemas: (env.STACK_DB_SCHEMAS ?? 'public,graphql_public').split(',').map((s) => s.trim()).filter(Boolean),
    supabaseDir: path.resolve(root, env.STACK_SUPABASE_DIR ?? 'supabase'),
    siteUrl: env.STACK_SITE_URL ?? 'http://127.0.0.1:5173',
    quiet: env.STACK_QUIET === '1',
    // `token_refresh=100000,sign_in_sign_ups=100000`: over config.toml's [auth.rate_limit], for load
    // tests whose many simulated users all come from 127.0.0.1.
    authRateLimits: env.STACK_AUTH_RATE_LIMITS ? parseRateLimits(`[auth.rate_limit]\n${env.STACK_AUTH_RATE_LIMITS.replaceAll(',', '\n')}`, 'STACK_AUTH_RATE_LIMITS') : undefined,
    ...overrides,
  };
}

export function databaseUrlFor(config: StackConfig): string {
  return config.databaseUrl ?? `postgresql://postgres:postgres@127.0.0.1:${config.dbPort}/postgres`;
}
