import { describe, expect, it } from 'vitest';
import type { Factor, Session } from '@supabase/supabase-js';
import { assuranceOf, jwtClaims, needsSecondFactor, verifiedTotpFactor } from '../assurance.ts';

function token(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

function factor(status: Factor['status'], factor_type: Factor['factor_type'] = 'totp', id = `f-${status}`): Factor {
  return { id, status, factor_type, friendly_name: 'App', created_at: '2026-12-02T00:00:00Z', updated_at: '2026-12-02T00:00:00Z' } as Factor;
}

function session(aal: string | undefined, factors: Factor[] = []): Session {
  return { access_token: token(aal ? { sub: 'u1', aal } : { sub: 'u1' }), user: { id: 'u1', factors } } as unknown as Session;
}

describe('jwtClaims', () => {
  it('reads a base64url payload, including characters that differ from base64 (- and _)', () => {
    expect(jwtClaims(token({ email: 'ü?>~@example.com', aal: 'aal1' }))).toEqual({ email: 'ü?>~@example.com', aal: 'aal1' });
  });

  it('is empty for something that is not a JWT', () => {
    expect(jwtClaims('not-a-token')).toEqual({});
    expect(jwtClaims('a.%%%.c')).toEqual({});
  });
});

describe('assuranceOf / needsSecondFactor', () => {
  it('an account without factors is at aal1 and needs nothing more', () => {
    expect(assuranceOf(session('aal1'))).toEqual({ current: 'aal1', next: 'aal1' });
    expect(needsSecondFactor(session('aal1'))).toBe(false);
  });

  it('a verified factor with an aal1 token owes the code (as getAuthenticatorAssuranceLevel: next aal2 > current aal1)', () => {
    expect(assuranceOf(session('aal1', [factor('verified')]))).toEqual({ current: 'aal1', next: 'aal2' });
    expect(needsSecondFactor(session('aal1', [factor('verified')]))).toBe(true);
  });

  it('an unverified factor (an abandoned enrolment) asks for nothing', () => {
    expect(needsSecondFactor(session('aal1', [factor('unverified')]))).toBe(false);
  });

  it('an aal2 token has given the code', () => {
    expect(needsSecondFactor(session('aal2', [factor('verified')]))).toBe(false);
  });

  it('a token without an aal claim and a verified factor owes the code; no session owes nothing', () => {
    expect(needsSecondFactor(session(undefined, [factor('verified')]))).toBe(true);
    expect(needsSecondFactor(null)).toBe(false);
  });
});

describe('verifiedTotpFactor', () => {
  it('picks the first verified TOTP factor, skipping unverified and other kinds', () => {
    const phone = factor('verified', 'phone', 'p1');
    const pending = factor('unverified', 'totp', 't0');
    const app = factor('verified', 'totp', 't1');
    expect(verifiedTotpFactor([phone, pending, app])?.id).toBe('t1');
    expect(verifiedTotpFactor([phone, pending])).toBeUndefined();
    expect(verifiedTotpFactor(undefined)).toBeUndefined();
  });
});
