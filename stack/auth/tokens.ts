import { randomBytes, randomUUID } from 'node:crypto';
import { signJwt } from '../jwt.ts';
import { NIL_INSTANCE, type Queryable } from './db.ts';
import { sortKeys, userJson, type User } from './users.ts';

export interface TokenContext {
  jwtSecret: string;
  jwtExpiry: number;
  issuer: string;
  userAgent: string;
  /** A valid IP address or ''. */
  ip: string;
}

export interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  aal: string | null;
  not_after: Date | null;
}

const BASE32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567';

/** GoTrue's legacy refresh token: crypto.SecureAlphanumeric(12), lower-case base32. */
export function newRefreshToken(): string {
  const bytes = randomBytes(12);
  return Array.from(bytes, (b) => BASE32_LOWER[b & 31]).join('');
}

export const LEGACY_REFRESH_TOKEN = /^[a-z0-9]{12}$/;

/** The access token GoTrue's GenerateAccessToken signs, claim for claim. */
export function accessToken(ctx: TokenContext, user: User, session: SessionRow): { token: string; expiresAt: number } {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + ctx.jwtExpiry;
  const claims = {
    iss: ctx.issuer,
    sub: user.id,
    aud: user.aud ?? '',
    exp: expiresAt,
    iat: issuedAt,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: sortKeys(user.raw_app_meta_data),
    user_metadata: sortKeys(user.raw_user_meta_data),
    role: user.role ?? '',
    aal: session.aal ?? 'aal1',
    // Every session this server creates comes from a password sign-in (GoTrue's amr_claims row).
    amr: [{ method: 'password', timestamp: Math.floor(session.created_at.getTime() / 1000) }],
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  };
  return { token: signJwt(claims, ctx.jwtSecret), expiresAt };
}

export function tokenResponse(ctx: TokenContext, user: User, session: SessionRow, refreshToken: string): Record<string, unknown> {
  const { token, expiresAt } = accessToken(ctx, user, session);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: expiresAt - Math.floor(Date.now() / 1000),
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: userJson(user),
  };
}

export async function insertRefreshToken(tx: Queryable, userId: string, sessionId: string, parent: string | null): Promise<string> {
  const token = newRefreshToken();
  await tx.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ($1, $2, $3, false, now(), now(), $4, $5)`,
    [NIL_INSTANCE, token, userId, parent, sessionId],
  );
  return token;
}

/** GoTrue's IssueRefreshToken for a password grant: a new session, its first refresh token, last_sign_in_at. */
export async function issueSession(tx: Queryable, ctx: TokenContext, user: User): Promise<Record<string, unknown>> {
  const { rows } = await tx.query<SessionRow>(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values ($1, $2, now(), now(), 'aal1', $3, $4)
     returning id, user_id, created_at, aal, not_after`,
    [randomUUID(), user.id, ctx.userAgent || null, ctx.ip || null],
  );
  const session = rows[0] as SessionRow;
  const refreshToken = await insertRefreshToken(tx, user.id, session.id, null);
  const signedIn = await tx.query<{ last_sign_in_at: Date; updated_at: Date }>(
    `update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1 returning last_sign_in_at, updated_at`,
    [user.id],
  );
  Object.assign(user, signedIn.rows[0]);
  return tokenResponse(ctx, user, session, refreshToken);
}
