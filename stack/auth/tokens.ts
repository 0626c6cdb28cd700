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

export interface AmrEntry {
  method: string;
  timestamp: number;
}

/** GoTrue's AuthenticationMethod names that raise a session to aal2 (AMRClaim.IsAAL2Claim). */
const AAL2_METHODS = new Set(['totp', 'mfa/phone', 'mfa/webauthn']);

/** GoTrue's AddClaimToSession: one row per session and method, its time refreshed when used again. */
export async function addAmrClaim(tx: Queryable, sessionId: string, method: string): Promise<void> {
  await tx.query(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values ($1, $2, now(), now(), $3)
     on conflict on constraint mfa_amr_claims_session_id_authentication_method_pkey do update set updated_at = excluded.updated_at`,
    [randomUUID(), sessionId, method],
  );
}

/** GoTrue's CalculateAALAndAMR: the session's claims, most recent first; aal2 once an MFA method is among them. */
export async function sessionAal(db: Queryable, session: SessionRow): Promise<{ aal: string; amr: AmrEntry[] }> {
  const { rows } = await db.query<{ authentication_method: string; updated_at: Date }>(
    'select authentication_method, updated_at from auth.mfa_amr_claims where session_id = $1',
    [session.id],
  );
  // Sessions made before amr claims were recorded came from password sign-ins.
  if (rows.length === 0) return { aal: 'aal1', amr: [{ method: 'password', timestamp: Math.floor(session.created_at.getTime() / 1000) }] };
  const amr = rows
    .map((r) => ({ method: r.authentication_method, timestamp: Math.floor(r.updated_at.getTime() / 1000) }))
    .sort((a, b) => b.timestamp - a.timestamp);
  return { aal: rows.some((r) => AAL2_METHODS.has(r.authentication_method)) ? 'aal2' : 'aal1', amr };
}

/** The access token GoTrue's GenerateAccessToken signs, claim for claim. */
export function accessToken(ctx: TokenContext, user: User, session: SessionRow, level: { aal: string; amr: AmrEntry[] }): { token: string; expiresAt: number } {
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
    aal: level.aal,
    amr: level.amr,
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  };
  return { token: signJwt(claims, ctx.jwtSecret), expiresAt };
}

export async function tokenResponse(db: Queryable, ctx: TokenContext, user: User, session: SessionRow, refreshToken: string): Promise<Record<string, unknown>> {
  const { token, expiresAt } = accessToken(ctx, user, session, await sessionAal(db, session));
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

/**
 * GoTrue's IssueRefreshToken: a new session with the amr claim of how the user signed in
 * ('password', 'otp', 'recovery', 'magiclink', 'email/signup', 'invite', 'anonymous', ...), its
 * first refresh token, last_sign_in_at.
 */
export async function issueSession(tx: Queryable, ctx: TokenContext, user: User, method = 'password'): Promise<Record<string, unknown>> {
  const { rows } = await tx.query<SessionRow>(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values ($1, $2, now(), now(), 'aal1', $3, $4)
     returning id, user_id, created_at, aal, not_after`,
    [randomUUID(), user.id, ctx.userAgent || null, ctx.ip || null],
  );
  const session = rows[0] as SessionRow;
  await addAmrClaim(tx, session.id, method);
  const refreshToken = await insertRefreshToken(tx, user.id, session.id, null);
  const signedIn = await tx.query<{ last_sign_in_at: Date; updated_at: Date }>(
    `update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1 returning last_sign_in_at, updated_at`,
    [user.id],
  );
  Object.assign(user, signedIn.rows[0]);
  return tokenResponse(tx, ctx, user, session, refreshToken);
}
