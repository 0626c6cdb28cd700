// JWT → database role, as PostgREST v12's Auth.hs: the `role` claim picks the role (anon when absent),
// a bad token answers 401 PGRST301 with the jose library's wording and a WWW-Authenticate header.
import type { IncomingHttpHeaders } from 'node:http';
import { JWT_CLOCK_SKEW_SECONDS, JwtError, verifyJwt, type JwtClaims } from '../jwt.ts';
import { errors } from './errors.ts';

export const ANON_ROLE = 'anon';
/** PostgREST validates `exp`, `nbf` and `iat` with 30 seconds of clock skew (nbf and iat in the shared check). */
const ALLOWED_SKEW_SECONDS = JWT_CLOCK_SKEW_SECONDS;

export interface AuthResult {
  role: string;
  /** The claims with `role` set, as `request.jwt.claims` carries them. */
  claims: JwtClaims;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The bearer token, or Supabase's `apikey` header when no Authorization header is sent. */
function tokenOf(headers: IncomingHttpHeaders): string {
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) return /^bearer\s+(.+)$/i.exec(authorization.trim())?.[1]?.trim() ?? '';
  return header(headers, 'apikey')?.trim() ?? '';
}

// Tokens whose signature checked out, with their claims: most requests carry the same few tokens,
// and the HMAC was a visible share of the per-request CPU. `exp` is checked again on every use
// (`nbf` and `iat`, once passed, stay passed).
const MAX_VERIFIED = 1000;
const verified = new Map<string, { secret: string; claims: JwtClaims }>();

function verifiedClaims(token: string, secret: string, nowSeconds: number): JwtClaims {
  const known = verified.get(token);
  if (known && known.secret === secret && (known.claims.exp === undefined || known.claims.exp + ALLOWED_SKEW_SECONDS > nowSeconds)) return known.claims;
  const claims = verifyJwt(token, secret, { now: nowSeconds, expLeewaySeconds: ALLOWED_SKEW_SECONDS });
  if (verified.size >= MAX_VERIFIED) verified.clear();
  verified.set(token, { secret, claims });
  return claims;
}

function jwtErrorMessage(token: string, err: JwtError): string {
  switch (err.reason) {
    case 'expired':
      return 'JWT expired';
    case 'not_yet_valid':
      return 'JWTNotYetValid';
    case 'issued_in_future':
      return 'JWTIssuedAtFuture';
    case 'malformed': {
      const parts = token.split('.').length;
      return parts === 3
        ? 'JWSError (CompactDecodeError Invalid JSON or base64url in JWT)'
        : `JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got ${parts})`;
    }
    default:
      return 'JWSError JWSInvalidSignature';
  }
}

export function authenticate(headers: IncomingHttpHeaders, secret: string): AuthResult {
  const token = tokenOf(headers);
  let claims: JwtClaims = {};
  if (token !== '') {
    const now = Date.now() / 1000;
    try {
      claims = verifiedClaims(token, secret, now);
    } catch (err) {
      if (err instanceof JwtError) throw errors.jwt(jwtErrorMessage(token, err));
      throw err;
    }
  }
  const roleClaim = claims.role as unknown;
  const role = roleClaim === undefined ? ANON_ROLE : typeof roleClaim === 'string' ? roleClaim : JSON.stringify(roleClaim);
  return { role, claims: { ...claims, role } };
}
