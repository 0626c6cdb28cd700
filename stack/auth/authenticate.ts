import { JwtError, verifyJwt, type JwtClaims } from '../jwt.ts';
import type { ApiRequest } from '../service.ts';
import type { Queryable } from './db.ts';
import { AuthError, badRequest, forbidden } from './errors.ts';
import { AUTH_SETTINGS } from './settings.ts';
import type { SessionRow } from './tokens.ts';
import { findUserById, isBanned, type User } from './users.ts';
import { isUuid } from './validate.ts';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const BEARER = /^bearer (\S+)$/i;

export interface Claims extends JwtClaims {
  sub?: string;
  role?: string;
  session_id?: string;
  aud?: string | string[];
}

export interface Authenticated {
  claims: Claims;
  user: User;
  session: SessionRow | undefined;
}

function headerAlg(token: string): string {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
    return String(header.alg);
  } catch {
    return 'undefined';
  }
}

/** golang-jwt v5's wording for each failure, as GoTrue includes it in its message. */
function jwtFailure(err: JwtError, token: string): string {
  switch (err.reason) {
    case 'malformed':
      return token.split('.').length !== 3
        ? 'token is malformed: token contains an invalid number of segments'
        : 'token is malformed: could not JSON decode claim';
    case 'algorithm':
      return `token signature is invalid: signing method ${headerAlg(token)} is invalid`;
    case 'signature':
      return 'token signature is invalid: signature is invalid';
    case 'expired':
      return 'token has invalid claims: token is expired';
    case 'not_yet_valid':
      return 'token has invalid claims: token is not valid yet';
    case 'issued_in_future':
      return 'token has invalid claims: token used before issued';
  }
}

const STRING_CLAIMS = ['sub', 'role', 'session_id', 'email', 'phone', 'aal'] as const;

/** GoTrue's extractBearerToken + parseJWTClaims into AccessTokenClaims. */
export function parseBearer(req: ApiRequest, jwtSecret: string): Claims {
  const header = req.headers.authorization;
  const token = BEARER.exec(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''))?.[1];
  if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  let claims: JwtClaims;
  try {
    claims = verifyJwt(token, jwtSecret);
  } catch (err) {
    if (err instanceof JwtError) throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${jwtFailure(err, token)}`);
    throw err;
  }
  for (const name of STRING_CLAIMS) {
    const value = claims[name];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      const type = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
      throw forbidden(
        'bad_jwt',
        `invalid JWT: unable to parse or verify signature, token is malformed: could not JSON decode claim: json: cannot unmarshal ${type} into Go struct field AccessTokenClaims.${name} of type string`,
      );
    }
  }
  return claims as Claims;
}

/** GoTrue's maybeLoadUserOrSession. */
async function loadUserAndSession(db: Queryable, claims: Claims): Promise<Authenticated> {
  if (!claims.sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
  if (!isUuid(claims.sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(db, claims.sub.toLowerCase());
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
  let session: SessionRow | undefined;
  if (claims.session_id && claims.session_id !== NIL_UUID) {
    if (!isUuid(claims.session_id)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
    const { rows } = await db.query<SessionRow>(
      'select id, user_id, created_at, aal, not_after from auth.sessions where id = $1',
      [claims.session_id.toLowerCase()],
    );
    session = rows[0];
    if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
  }
  return { claims, user, session };
}

/** GoTrue's requireAuthentication middleware. */
export async function requireAuthentication(req: ApiRequest, db: Queryable, jwtSecret: string): Promise<Authenticated> {
  const auth = await loadUserAndSession(db, parseBearer(req, jwtSecret));
  if (isBanned(auth.user)) throw forbidden('user_banned', 'User is banned');
  return auth;
}

/** GoTrue's requireAdminCredentials: a role from GOTRUE_JWT_ADMIN_ROLES; a user token's session must still exist. */
export async function requireAdmin(req: ApiRequest, db: Queryable, jwtSecret: string): Promise<Claims> {
  const claims = parseBearer(req, jwtSecret);
  if (claims.session_id && claims.session_id !== NIL_UUID) {
    const { session } = await loadUserAndSession(db, claims);
    if (session?.not_after && session.not_after < new Date()) throw forbidden('session_expired', 'Session is no longer valid');
  }
  if (!claims.role || !(AUTH_SETTINGS.adminRoles as readonly string[]).includes(claims.role)) {
    throw forbidden('not_admin', 'User not allowed');
  }
  return claims;
}

/** GoTrue's requestAud: the X-JWT-AUD header, else a non-admin token's `aud`, else the default audience. */
export function requestAud(req: ApiRequest, claims?: Claims): string {
  const header = req.headers['x-jwt-aud'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader) return fromHeader;
  if (claims && !(AUTH_SETTINGS.adminRoles as readonly string[]).includes(claims.role ?? '')) {
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    if (typeof aud === 'string' && aud !== '') return aud;
  }
  return AUTH_SETTINGS.audience;
}
