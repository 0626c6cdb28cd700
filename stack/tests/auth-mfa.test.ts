// TOTP MFA through supabase-js (auth.mfa.*), codes computed from the enrolment secret.
import { describe, expect, it } from 'vitest';
import { totpCode } from '../auth/totp.ts';
import { authFetch, PASSWORD, signedUpUser } from './auth-support.ts';
import { anonClient, serviceClient } from './support.ts';

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

async function enrolled(label: string) {
  const user = await signedUpUser(label);
  const { data, error } = await user.client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone app' });
  expect(error).toBeNull();
  return { ...user, factorId: data!.id, secret: data!.totp.secret, enroll: data! };
}

describe('TOTP factors', () => {
  it('enroll answers id, type, friendly_name and totp {qr_code (SVG), secret, uri}', async () => {
    const { enroll, email } = await enrolled('mfa-enroll');
    expect(enroll.type).toBe('totp');
    expect(enroll.friendly_name).toBe('phone app');
    expect(enroll.totp.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enroll.totp.uri).toBe(`otpauth://totp/127.0.0.1%3A5173:${encodeURIComponent(email)}?algorithm=SHA1&digits=6&issuer=127.0.0.1%3A5173&period=30&secret=${enroll.totp.secret}`);
    // auth-js prefixes GoTrue's raw SVG with the data URL scheme.
    expect(enroll.totp.qr_code).toMatch(/^data:image\/svg\+xml;utf-8,<svg /);
  });

  it('challenge + verify with the right code: a new session at aal2 with amr [totp, password]; refresh keeps aal2; getUser lists the verified factor', async () => {
    const { client, factorId, secret, session: first } = await enrolled('mfa-verify');
    expect(claims(first.access_token)).toMatchObject({ aal: 'aal1', amr: [{ method: 'password' }] });
    const challenge = await client.auth.mfa.challenge({ factorId });
    expect(challenge.error).toBeNull();
    expect(challenge.data).toMatchObject({ id: expect.any(String), type: 'totp', expires_at: expect.any(Number) });
    const { data, error } = await client.auth.mfa.verify({ factorId, challengeId: challenge.data!.id, code: totpCode(secret) });
    expect(error).toBeNull();
    const c = claims(data!.access_token);
    expect(c.aal).toBe('aal2');
    expect(c.amr.map((e: { method: string }) => e.method)).toEqual(['totp', 'password']);
    expect(c.session_id).toBe(claims(first.access_token).session_id);
    const refreshed = await client.auth.refreshSession();
    expect(claims(refreshed.data.session!.access_token).aal).toBe('aal2');
    const { data: user } = await client.auth.getUser();
    expect(user.user?.factors).toEqual([expect.objectContaining({ id: factorId, status: 'verified', factor_type: 'totp', friendly_name: 'phone app' })]);
    const levels = await client.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(levels.data).toMatchObject({ currentLevel: 'aal2', nextLevel: 'aal2' });
  });

  it('a wrong code is 422 mfa_verification_failed; a used challenge is refused; an expired one is mfa_challenge_expired', async () => {
    const { client, factorId, secret } = await enrolled('mfa-wrong');
    const challenge = (await client.auth.mfa.challenge({ factorId })).data!;
    const wrong = await client.auth.mfa.verify({ factorId, challengeId: challenge.id, code: totpCode(secret, Date.now() - 10 * 60_000) });
    expect({ status: wrong.error?.status, code: wrong.error?.code, message: wrong.error?.message }).toEqual({ status: 422, code: 'mfa_verification_failed', message: 'Invalid TOTP code entered' });
    expect((await client.auth.mfa.verify({ factorId, challengeId: challenge.id, code: totpCode(secret) })).error).toBeNull();
    const reused = await client.auth.mfa.verify({ factorId, challengeId: challenge.id, code: totpCode(secret) });
    expect({ status: reused.error?.status, code: reused.error?.code }).toEqual({ status: 422, code: 'mfa_ip_address_mismatch' });
    const unknown = await client.auth.mfa.verify({ factorId, challengeId: '00000000-0000-4000-8000-000000000000', code: totpCode(secret) });
    expect({ status: unknown.error?.status, code: unknown.error?.code }).toEqual({ status: 422, code: 'mfa_factor_not_found' });
    const old = (await client.auth.mfa.challenge({ factorId })).data!;
    const { db } = await import('./support.ts');
    await db().query(`update auth.mfa_challenges set created_at = now() - interval '10 minutes' where id = $1`, [old.id]);
    const expired = await client.auth.mfa.verify({ factorId, challengeId: old.id, code: totpCode(secret) });
    expect({ status: expired.error?.status, code: expired.error?.code }).toEqual({ status: 422, code: 'mfa_challenge_expired' });
  });

  it('unenroll of a verified factor needs aal2 (422 insufficient_aal); at aal2 it works and later sessions are aal1', async () => {
    const { client, factorId, secret, email } = await enrolled('mfa-unenroll');
    await client.auth.mfa.challengeAndVerify({ factorId, code: totpCode(secret) });
    // A fresh password sign-in is aal1 with nextLevel aal2.
    const other = anonClient();
    const signIn = await other.auth.signInWithPassword({ email, password: PASSWORD });
    expect(claims(signIn.data.session!.access_token).aal).toBe('aal1');
    expect((await other.auth.mfa.getAuthenticatorAssuranceLevel()).data).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal2' });
    const denied = await other.auth.mfa.unenroll({ factorId });
    expect({ status: denied.error?.status, code: denied.error?.code, message: denied.error?.message }).toEqual({ status: 422, code: 'insufficient_aal', message: 'AAL2 required to unenroll verified factor' });
    // Enrolling a second factor at aal1 is refused too.
    const second = await other.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'second' });
    expect({ status: second.error?.status, code: second.error?.code }).toEqual({ status: 403, code: 'insufficient_aal' });
    // At aal1 a password change needs aal2.
    const pw = await other.auth.updateUser({ password: 'another-password-1' });
    expect({ status: pw.error?.status, code: pw.error?.code }).toEqual({ status: 401, code: 'insufficient_aal' });
    // The verified session unenrolls.
    expect((await client.auth.mfa.unenroll({ factorId })).error).toBeNull();
    expect((await client.auth.mfa.listFactors()).data?.all).toEqual([]);
    const missing = await client.auth.mfa.unenroll({ factorId });
    expect({ status: missing.error?.status, code: missing.error?.code }).toEqual({ status: 404, code: 'mfa_factor_not_found' });
  });

  it('duplicate friendly name is mfa_factor_name_conflict; bad factor type is validation_failed', async () => {
    const { client } = await enrolled('mfa-dup');
    const dup = await client.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone app' });
    expect({ status: dup.error?.status, code: dup.error?.code }).toEqual({ status: 422, code: 'mfa_factor_name_conflict' });
    const session = (await client.auth.getSession()).data.session!;
    const bad = await authFetch('/factors', { method: 'POST', token: session.access_token, body: JSON.stringify({ factor_type: 'sms' }) });
    expect({ status: bad.status, body: bad.json() }).toEqual({ status: 400, body: { code: 400, error_code: 'validation_failed', msg: 'factor_type needs to be totp, phone, or webauthn' } });
  });

  it('an admin lists and deletes a lost factor (auth.admin.mfa)', async () => {
    const { client, factorId, secret, session } = await enrolled('mfa-admin');
    await client.auth.mfa.challengeAndVerify({ factorId, code: totpCode(secret) });
    const admin = serviceClient().auth.admin.mfa;
    const userId = session.user.id;
    const list = await admin.listFactors({ userId });
    expect(list.error).toBeNull();
    expect(list.data?.factors).toEqual([expect.objectContaining({ id: factorId, status: 'verified' })]);
    const del = await admin.deleteFactor({ userId, id: factorId });
    expect(del.error).toBeNull();
    expect((await admin.listFactors({ userId })).data?.factors).toEqual([]);
    // The session that verified with it is back to aal1.
    const refreshed = await client.auth.refreshSession();
    expect(claims(refreshed.data.session!.access_token)).toMatchObject({ aal: 'aal1', amr: [{ method: 'password' }] });
  });
});
