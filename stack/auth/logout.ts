import { requireAuthentication } from './authenticate.ts';
import type { Handler } from './context.ts';
import { badRequest } from './errors.ts';

/** POST /logout?scope=global|local|others: deleting sessions deletes their refresh tokens too. */
export const logout: Handler = async (deps, req) => {
  const scope = req.url.searchParams.get('scope') ?? '';
  if (!['', 'global', 'local', 'others'].includes(scope)) {
    throw badRequest('validation_failed', `Unsupported logout scope ${JSON.stringify(scope)}`);
  }
  const { user, session } = await requireAuthentication(req, deps.pool, deps.config.jwtSecret);
  if (session && scope === 'local') {
    await deps.pool.query('delete from auth.sessions where id = $1', [session.id]);
  } else if (session && scope === 'others') {
    await deps.pool.query('delete from auth.sessions where user_id = $1 and id <> $2', [user.id, session.id]);
  } else {
    await deps.pool.query('delete from auth.sessions where user_id = $1', [user.id]);
  }
  return { status: 204 };
};
