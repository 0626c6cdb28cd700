/**
 * Supabase's role model (see stack/README.md, Roles): who connects as what. Every login role has
 * the password `postgres` locally, as with the Supabase CLI.
 */
export const ROLES = {
  /** The platform's superuser: bootstrap, database re-creation, test fixtures that need it. */
  admin: 'supabase_admin',
  /** Migrations, seed, the developer's DB URL, the scheduled jobs (pg_cron's role on hosted). */
  postgres: 'postgres',
  rest: 'authenticator',
  auth: 'supabase_auth_admin',
  realtime: 'supabase_realtime_admin',
} as const;

export const ROLE_PASSWORD = 'postgres';

/** The same server and database as `url`, logged in as `role`. */
export function urlAs(url: string, role: string, password = ROLE_PASSWORD): string {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
}
