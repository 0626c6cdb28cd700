import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { CommitThenThrow, inTransaction, type Queryable } from './db.ts';
import { AuthError, badRequest } from './errors.ts';
import { AUTH_SETTINGS } from './settings.ts';
import { insertRefreshToken, tokenResponse, type SessionRow, type TokenContext } from './tokens.ts';
import { findUserById, isBanned, type User } from './users.ts';
import { isUuid } from './validate.ts';

interface RefreshTokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  updated_at: Date;
  parent: string | null;
  session_id: string | null;
}

const TOKEN_COLUMNS = 'id, token, user_id, revoked, updated_at, parent, session_id';
const SESSION_COLUMNS = 'id, user_id, created_at, aal, not_after';
const RETRY_LOOP_MS = 5000;

/** Raised inside the transaction when a row is locked by a concurrent refresh: retry a bit later. */
class Locked extends Error {}

interface Found {
  user: User;
  token: RefreshTokenRow;
  session: SessionRow | undefined;
}

/** GoTrue's findUserWithLegacyRefreshToken; with `forUpdate`, locked rows count as missing (SKIP LOCKED). */
async function findByRefreshToken(db: Queryable, refreshToken: string, forUpdate: boolean): Promise<Found | undefined> {
  const lock = forUpdate ? ' for update skip locked' : '';
  const { rows } = await db.query<RefreshTokenRow>(`select ${TOKEN_COLUMNS} from auth.refresh_tokens where token = $1${lock}`, [refreshToken]);
  const token = rows[0];
  if (!token) return undefined;
  const user = isUuid(token.user_id) ? await findUserById(db, token.user_id) : undefined;
  if (!user) return undefined;
  let session: SessionRow | undefined;
  if (token.session_id) {
    const found = await db.query<SessionRow>(`select ${SESSION_COLUMNS} from auth.sessions where id = $1${lock}`, [token.session_id]);
    session = found.rows[0];
    if (!session && forUpdate) throw new Locked();
  }
  return { user, token, session };
}

const notFound = () => badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');

/**
 * GoTrue's RefreshTokenGrant for legacy (12-character) refresh tokens, with rotation and reuse detection:
 * a revoked token is accepted again only when it is the parent of the session's active token (the
 * client lost the last answer) or within the reuse interval; otherwise every token of the session is
 * revoked and the answer is `refresh_token_already_used`.
 */
export async function refreshTokenGrant(pool: pg.Pool, ctx: TokenContext, refreshToken: string): Promise<Record<string, unknown>> {
  const started = Date.now();
  while (Date.now() - started < RETRY_LOOP_MS) {
    const first = await findByRefreshToken(pool, refreshToken, false);
    if (!first) throw notFound();
    if (isBanned(first.user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
    if (!first.session) {
      await pool.query('delete from auth.refresh_tokens where id = $1', [first.token.id]);
      throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
    }
    if (first.session.not_after && first.session.not_after < new Date()) {
      throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired');
    }
    try {
      return await inTransaction(pool, (tx) => rotate(tx, ctx, refreshToken));
    } catch (err) {
      if (!(err instanceof Locked)) throw err;
      await sleep(10 + Math.floor(Math.random() * 20));
    }
  }
  throw new AuthError(409, 'conflict', 'Too many concurrent token refresh requests on the same session or refresh token');
}

async function rotate(tx: pg.PoolClient, ctx: TokenContext, refreshToken: string): Promise<Record<string, unknown>> {
  const found = await findByRefreshToken(tx, refreshToken, true);
  if (!found) throw new Locked();
  const { user, token, session } = found;
  if (!session) throw new Locked();

  let issued: string | undefined;
  if (token.revoked) {
    const active = await tx.query<{ token: string; parent: string | null }>(
      `select token, parent from auth.refresh_tokens where session_id = $1 and revoked is false order by id desc limit 1`,
      [session.id],
    );
    if (active.rows[0] && active.rows[0].parent === token.token) {
      // The client did not store the answer to its last refresh: hand back the current token.
      issued = active.rows[0].token;
    } else if (Date.now() > token.updated_at.getTime() + AUTH_SETTINGS.refreshTokenReuseInterval * 1000) {
      await tx.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false`, [session.id]);
      throw new CommitThenThrow(badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used'));
    }
  }
  if (!issued) {
    await tx.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1`, [token.id]);
    issued = await insertRefreshToken(tx, user.id, session.id, token.token);
    const touched = await tx.query<{ updated_at: Date }>(`update auth.users set updated_at = now() where id = $1 returning updated_at`, [user.id]);
    Object.assign(user, touched.rows[0]);
  }
  await tx.query(
    `update auth.sessions set refreshed_at = (now() at time zone 'utc'), user_agent = $2, ip = $3, updated_at = now() where id = $1`,
    [session.id, ctx.userAgent || null, ctx.ip || null],
  );
  return tokenResponse(tx, ctx, user, session, issued);
}
