import { describe, expect, it } from 'vitest';
import { base32Encode, totpCode, verifyTotp, generateTotpSecret } from '../auth/totp.ts';
import { bootstrap } from '../migrate.ts';
import { db } from './support.ts';

describe('auth schema for the flows (stack/auth/schema.sql)', () => {
  it('has GoTrue tables and enums, owned by supabase_auth_admin, with RLS on', async () => {
    const { rows } = await db().query<{ relname: string; owner: string; rls: boolean }>(
      `select c.relname, pg_get_userbyid(c.relowner) as owner, c.relrowsecurity as rls from pg_class c
       where c.relnamespace = 'auth'::regnamespace and c.relname = any($1) order by 1`,
      [['flow_state', 'mfa_amr_claims', 'mfa_challenges', 'mfa_factors', 'one_time_tokens']],
    );
    expect(rows).toEqual(['flow_state', 'mfa_amr_claims', 'mfa_challenges', 'mfa_factors', 'one_time_tokens'].map((relname) => ({ relname, owner: 'supabase_auth_admin', rls: true })));
    const enums = await db().query<{ typname: string; labels: string[] }>(
      `select t.typname, array_agg(e.enumlabel order by e.enumsortorder)::text[] as labels from pg_type t join pg_enum e on e.enumtypid = t.oid
       where t.typnamespace = 'auth'::regnamespace group by t.typname order by 1`,
    );
    expect(Object.fromEntries(enums.rows.map((r) => [r.typname, r.labels]))).toMatchObject({
      aal_level: ['aal1', 'aal2', 'aal3'],
      code_challenge_method: ['s256', 'plain'],
      factor_status: ['unverified', 'verified'],
      factor_type: ['totp', 'webauthn', 'phone'],
      one_time_token_type: ['confirmation_token', 'reauthentication_token', 'recovery_token', 'email_change_token_new', 'email_change_token_current', 'phone_change_token'],
    });
    const aal = await db().query(`select format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = 'auth.sessions'::regclass and attname = 'aal'`);
    expect(aal.rows[0].type).toBe('auth.aal_level');
  });

  it('runs again on a bootstrapped database without error (idempotent)', async () => {
    const client = await db().connect();
    try {
      await bootstrap(client);
    } finally {
      client.release();
    }
  });
});

describe('TOTP (stack/auth/totp.ts)', () => {
  it('matches the RFC 6238 SHA-1 test vectors (last 6 digits)', () => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    expect(totpCode(secret, 59_000)).toBe('287082');
    expect(totpCode(secret, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(secret, 2_000_000_000_000)).toBe('279037');
  });

  it('accepts one step either side and nothing further', () => {
    const secret = generateTotpSecret();
    const now = 1_700_000_000_000;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(verifyTotp(secret, totpCode(secret, now - 30_000), now)).toBe(true);
    expect(verifyTotp(secret, totpCode(secret, now + 30_000), now)).toBe(true);
    expect(verifyTotp(secret, totpCode(secret, now - 90_000), now)).toBe(false);
    expect(verifyTotp(secret, 'abcdef', now)).toBe(false);
  });
});
