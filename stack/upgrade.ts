import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { ROLES, urlAs } from './roles.ts';

/**
 * Whether the embedded cluster was made by a stack from before the hosted role model: initdb's
 * user was `postgres` then, and Postgres never lets the cluster's bootstrap superuser lose
 * SUPERUSER, so such a cluster cannot be upgraded in place (see stack/README.md, Roles).
 */
export async function isLegacyCluster(adminUrl: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.end();
    return false;
  } catch (err) {
    // 28P01: a role that does not exist fails password authentication like a wrong password.
    if (!['28P01', '28000'].includes((err as pg.DatabaseError).code ?? '')) throw err;
  }
  const old = new pg.Client({ connectionString: urlAs(adminUrl, ROLES.postgres) });
  try {
    await old.connect();
  } catch {
    throw new Error(`cannot log in as ${ROLES.admin} (nor as postgres) at ${new URL(adminUrl).host}`);
  }
  try {
    const { rows } = await old.query<{ rolname: string }>('select rolname from pg_roles where oid = 10');
    return rows[0]?.rolname === ROLES.postgres;
  } finally {
    await old.end();
  }
}

export const LEGACY_CLUSTER_DIR = 'pg-before-roles';

export function legacyClusterMessage(dataDir: string): string {
  return `${path.join(dataDir, 'pg')} was created by an older stack, with postgres as the cluster's superuser; ` +
    'hosted Supabase has supabase_admin there and a postgres that is no superuser, and Postgres cannot take ' +
    'superuser from the role that created a cluster, so it cannot be upgraded in place. Run `npm run db:reset`: ' +
    `it moves the old cluster to ${path.join(dataDir, LEGACY_CLUSTER_DIR)} (start it with pg_ctl to copy data out) ` +
    'and creates a new one from the migrations and seed.';
}

/** For `db:reset`: the legacy cluster moves aside, so the next start initialises a new one. */
export async function moveLegacyCluster(dataDir: string): Promise<string> {
  let target = path.join(dataDir, LEGACY_CLUSTER_DIR);
  for (let i = 2; existsSync(target); i++) target = path.join(dataDir, `${LEGACY_CLUSTER_DIR}-${i}`);
  await fs.rename(path.join(dataDir, 'pg'), target);
  return target;
}
