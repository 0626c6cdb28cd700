import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown> & { role?: string; sub?: string; exp?: number };

export type JwtFailure = 'malformed' | 'signature' | 'expired' | 'algorithm' | 'not_yet_valid' | 'issued_in_future';

export class JwtError extends Error {
  constructor(
    message: string,
    readonly reason: JwtFailure,
  ) {
    super(message);
  }
}

const b64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export function signJwt(claims: JwtClaims, secret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * How far in the future `iat` and `nbf` may be: a token minted by a server whose clock runs a
 * little ahead still works, one stamped an hour ahead does not. PostgREST allows 30 s of skew.
 */
export const JWT_CLOCK_SKEW_SECONDS = 30;

export interface VerifyOptions {
  /** Seconds since the epoch (default: now). */
  now?: number;
  /** Seconds a token stays valid past `exp`: PostgREST allows the clock skew, GoTrue and Realtime none. */
  expLeewaySeconds?: number;
}

/**
 * The one JWT check of every service (REST, Auth, Realtime, the gateway): three base64url parts,
 * HS256, the signature with the stack's secret, a JSON object of claims, `exp` not passed,
 * `nbf` and `iat` not in the future (beyond JWT_CLOCK_SKEW_SECONDS). Returns the claims or throws
 * a JwtError whose reason each service words in its own error shape. Which roles a service
 * accepts stays its own decision.
 */
export function verifyJwt(token: string, secret: string, opts: VerifyOptions = {}): JwtClaims {
  const now = opts.now ?? Date.now() / 1000;
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) {
    throw new JwtError('Expected 3 parts in JWT; got ' + parts.length, 'malformed');
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    throw new JwtError('JWT is not valid base64url JSON', 'malformed');
  }
  if (header.alg !== 'HS256') throw new JwtError('Wrong or unsupported JWT algorithm', 'algorithm');
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new JwtError('JWT signature does not match', 'signature');
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new JwtError('JWT claims must be a JSON object', 'malformed');
  }
  const { exp, nbf, iat } = claims as Record<string, unknown>;
  if (exp !== undefined && (typeof exp !== 'number' || exp + (opts.expLeewaySeconds ?? 0) <= now)) {
    throw new JwtError('JWT expired', 'expired');
  }
  if (typeof nbf === 'number' && nbf > now + JWT_CLOCK_SKEW_SECONDS) throw new JwtError('JWT not valid yet', 'not_yet_valid');
  if (typeof iat === 'number' && iat > now + JWT_CLOCK_SKEW_SECONDS) throw new JwtError('JWT issued in the future', 'issued_in_future');
  return claims as JwtClaims;
}
