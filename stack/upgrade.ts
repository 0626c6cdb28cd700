import pg from 'pg';
import { ROLES, urlAs } from './roles.ts';

/**
 * A data directory made before the stack had Supabase's role model was initialised with `postgres`
 * as its superuser and has no supabase_admin. Upgrade it in place: create supabase_admin (as that
 * superuser); the bootstrap that follows demotes postgres and hands the platform's objects to
 * their hosted owners. Anything else that cannot log in as supabase_admin is an error.
 */
export async function ensureAdminRole(adminUrl: string, log: (line: string) => void): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.end();
    return;
  } catch (err) {
    // 28P01: a role that does not exist fails password authentication like a wrong password.
    if (!['28P01', '28000'].includes((err as pg.DatabaseError).code ?? '')) throw err;
  }
  const old = new pg.Client({ connectionString: urlAs(adminUrl, ROLES.postgres) });
  try {
    await old.connect();
  } catch {
    throw new Error(`cannot log in as ${ROLES.admin} (nor as a superuser postgres) at ${new URL(adminUrl).host}: delete the stack's data directory (STACK_DATA_DIR) to start afresh`);
  }
  try {
    const { rows } = await old.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
    if (!rows[0]?.rolsuper) throw new Error(`cannot log in as ${ROLES.admin} at ${new URL(adminUrl).host}, and postgres is not a superuser there to create it`);
    log(`upgrading a database made by an older stack: creating ${ROLES.admin}; postgres stops being a superuser, as on hosted Supabase`);
    await old.query(`create role ${ROLES.admin} superuser createdb createrole replication bypassrls login password 'postgres'`);
  } finally {
    await old.end();
  }
}
