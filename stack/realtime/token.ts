import { JwtError, verifyJwt, type JwtClaims } from '../jwt.ts';

/** Why a token was refused, with the code and message Supabase Realtime uses for it. */
export interface TokenRefusal {
  code: 'InvalidJWTToken' | 'JwtSignatureError' | 'MalformedJWT';
  message: string;
  /** How Realtime names the error when it shuts a joined channel down (access_token push, expiry). */
  shutdownMessage: string;
}

export type TokenCheck = { ok: true; claims: JwtClaims & { role: string; exp: number } } | { ok: false; refusal: TokenRefusal };

function claimOf(token: string, name: string): unknown {
  try {
    return (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as JwtClaims)[name];
  } catch {
    return undefined;
  }
}

function expiredBy(token: string): number {
  const exp = claimOf(token, 'exp');
  return typeof exp === 'number' ? Math.max(0, Math.floor(Date.now() / 1000) - Math.round(exp)) : 0;
}

/** Verifies an access token as Realtime does: a valid signature, unexpired, with `role` and `exp` claims. */
export function checkToken(token: string, secret: string): TokenCheck {
  const clean = token.replace(/\s/g, '');
  try {
    const claims = verifyJwt(clean, secret);
    if (typeof claims.role !== 'string' || typeof claims.exp !== 'number') {
      const message = 'Fields `role` and `exp` are required in JWT';
      return { ok: false, refusal: { code: 'InvalidJWTToken', message, shutdownMessage: message } };
    }
    return { ok: true, claims: { ...claims, role: claims.role, exp: Math.round(claims.exp) } };
  } catch (err) {
    const reason = err instanceof JwtError ? err.reason : 'malformed';
    if (reason === 'not_yet_valid' || reason === 'issued_in_future') {
      const claim = reason === 'not_yet_valid' ? 'nbf' : 'iat';
      const message = `Invalid value for JWT claim "${claim}" with value ${claimOf(clean, claim)}`;
      return { ok: false, refusal: { code: 'InvalidJWTToken', message, shutdownMessage: message } };
    }
    if (reason === 'expired') {
      const message = `Token has expired ${expiredBy(clean)} seconds ago`;
      return { ok: false, refusal: { code: 'InvalidJWTToken', message, shutdownMessage: message } };
    }
    if (reason === 'signature' || reason === 'algorithm') {
      return { ok: false, refusal: { code: 'JwtSignatureError', message: 'Failed to validate JWT signature', shutdownMessage: ':signature_error' } };
    }
    const message = 'The token provided is not a valid JWT';
    return { ok: false, refusal: { code: 'MalformedJWT', message, shutdownMessage: message } };
  }
}
