import type { Factor, Session } from '@supabase/supabase-js';

export type AssuranceLevel = 'aal1' | 'aal2';

export interface Assurance {
  /** The level the access token carries (its `aal` claim); null for a token without one. */
  current: AssuranceLevel | null;
  /** The level this user can reach: aal2 once they have a verified factor. */
  next: AssuranceLevel | null;
}

/** The JWT's payload, without checking its signature (the server checks it; this only reads claims). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function levelOf(value: unknown): AssuranceLevel | null {
  return value === 'aal1' || value === 'aal2' ? value : null;
}

/**
 * What auth-js's mfa.getAuthenticatorAssuranceLevel() answers for a stored session, without its
 * async call: the token's `aal` claim, and aal2 as the next level when the user has a verified factor.
 */
export function assuranceOf(session: Session | null): Assurance {
  if (!session) return { current: null, next: null };
  const current = levelOf(jwtClaims(session.access_token).aal);
  const verified = (session.user.factors ?? []).some((factor) => factor.status === 'verified');
  return { current, next: verified ? 'aal2' : current };
}

/** Signed in with the password only while the account has a verified factor: the code is still owed. */
export function needsSecondFactor(session: Session | null): boolean {
  const { current, next } = assuranceOf(session);
  return next === 'aal2' && current !== 'aal2';
}

/** The factor sign-in asks a code for: the user's first verified TOTP factor. */
export function verifiedTotpFactor(factors: Factor[] | undefined): Factor | undefined {
  return factors?.find((factor) => factor.factor_type === 'totp' && factor.status === 'verified');
}
