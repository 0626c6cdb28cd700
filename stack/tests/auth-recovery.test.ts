// Password recovery through supabase-js against the stack's Auth, reading the mail from the catcher.
import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { latestMailTo } from '../mail/client.ts';
import { authFetch, PASSWORD, signedUpUser } from './auth-support.ts';
import { anonClient, db, serviceClient, stack } from './support.ts';

const jwtClaims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

describe('password recovery', () => {
  it('implicit: the mail links to /auth/v1/verify; following it redirects with a session in the fragment; the link is single-use', async () => {
    const { email } = await signedUpUser('recover');
    const client = anonClient();
    const redirectTo = 'http://127.0.0.1:5173/reset-password';
    const { data, error } = await client.auth.resetPasswordForEmail(email, { redirectTo });
    expect(error).toBeNull();
    expect(data).toEqual({});
    const mail = await latestMailTo(stack().mailUrl, email);
    expect(mail.subject).toBe('Reset your password');
    expect(mail.tags).toEqual(['recovery']);
    const link = new URL(mail.links[0]!);
    expect(`${link.origin}${link.pathname}`).toBe(`${stack().apiUrl}/auth/v1/verify`);
    expect(link.searchParams.get('type')).toBe('recovery');
    expect(link.searchParams.get('redirect_to')).toBe(redirectTo);
    expect(link.searchParams.get('token')).toMatch(/^[0-9a-f]{56}$/);

    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectTo);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('type')).toBe('recovery');
    expect(fragment.get('token_type')).toBe('bearer');
    const claims = jwtClaims(fragment.get('access_token')!);
    expect(claims).toMatchObject({ email, aal: 'aal1', amr: [{ method: 'otp' }] });

    // The session from the link sets the new password, which then signs in.
    const { error: setError } = await client.auth.setSession({ access_token: fragment.get('access_token')!, refresh_token: fragment.get('refresh_token')! });
    expect(setError).toBeNull();
    expect((await client.auth.updateUser({ password: 'brand-new-password' })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: 'brand-new-password' })).error).toBeNull();

    // Reused link: an error redirect, GoTrue's codes in the fragment.
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(303);
    const errorHash = new URLSearchParams(new URL(again.headers.get('location')!).hash.slice(1));
    expect(Object.fromEntries(errorHash)).toEqual({ error: 'access_denied', error_code: 'otp_expired', error_description: 'Email link is invalid or has expired', sb: '' });
  });

  it('PKCE: the link redirects with ?code=, exchangeCodeForSession signs in with amr recovery; a wrong verifier is bad_code_verifier', async () => {
    const { email } = await signedUpUser('recover-pkce');
    const client = createClient(stack().apiUrl, stack().anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, flowType: 'pkce' }, realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor } });
    expect((await client.auth.resetPasswordForEmail(email, { redirectTo: 'http://127.0.0.1:5173/reset-password' })).error).toBeNull();
    const mail = await latestMailTo(stack().mailUrl, email);
    const link = new URL(mail.links[0]!);
    expect(link.searchParams.get('token')).toMatch(/^pkce_[0-9a-f]{56}$/);
    const res = await fetch(link, { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/^[0-9a-f-]{36}$/);

    const wrong = await authFetch('/token?grant_type=pkce', { method: 'POST', body: JSON.stringify({ auth_code: code, code_verifier: 'x'.repeat(50) }) });
    expect({ status: wrong.status, body: wrong.json() }).toEqual({ status: 400, body: { code: 400, error_code: 'bad_code_verifier', msg: 'code challenge does not match previously saved code verifier' } });

    const { data, error } = await client.auth.exchangeCodeForSession(code);
    expect(error).toBeNull();
    expect(jwtClaims(data.session!.access_token)).toMatchObject({ email, aal: 'aal1', amr: [{ method: 'recovery' }] });
    // The code is spent.
    const reused = await authFetch('/token?grant_type=pkce', { method: 'POST', body: JSON.stringify({ auth_code: code, code_verifier: 'x'.repeat(50) }) });
    expect({ status: reused.status, code: reused.json().error_code }).toEqual({ status: 404, code: 'flow_state_not_found' });
  });

  it('POST /verify with the token hash, then with the spent hash (403 otp_expired); an expired token is otp_expired too', async () => {
    const { email } = await signedUpUser('recover-post');
    const client = anonClient();
    expect((await client.auth.resetPasswordForEmail(email)).error).toBeNull();
    const token = new URL((await latestMailTo(stack().mailUrl, email)).links[0]!).searchParams.get('token')!;
    const { data, error } = await client.auth.verifyOtp({ token_hash: token, type: 'recovery' });
    expect(error).toBeNull();
    expect(data.session?.user.email).toBe(email);
    const reused = await client.auth.verifyOtp({ token_hash: token, type: 'recovery' });
    expect({ status: reused.error?.status, code: reused.error?.code, message: reused.error?.message }).toEqual({ status: 403, code: 'otp_expired', message: 'Email link is invalid or has expired' });

    // A fresh link whose mail is older than otp_expiry (3600 s).
    await db().query(`update auth.users set recovery_sent_at = now() - interval '2 seconds' where email = $1`, [email]);
    expect((await client.auth.resetPasswordForEmail(email)).error).toBeNull();
    const mail = await latestMailTo(stack().mailUrl, email);
    const fresh = new URL(mail.links[0]!).searchParams.get('token')!;
    await db().query(`update auth.users set recovery_sent_at = now() - interval '2 hours' where email = $1`, [email]);
    const expired = await client.auth.verifyOtp({ token_hash: fresh, type: 'recovery' });
    expect({ status: expired.error?.status, code: expired.error?.code }).toEqual({ status: 403, code: 'otp_expired' });
  });

  it('an unknown address gets {} and no mail; a second request within max_frequency is 429 over_email_send_rate_limit', async () => {
    const client = anonClient();
    const nobody = `nobody-${Date.now()}@example.test`;
    expect(await client.auth.resetPasswordForEmail(nobody)).toEqual({ data: {}, error: null });
    await expect(latestMailTo(stack().mailUrl, nobody, { timeoutMs: 300 })).rejects.toThrow('no mail');
    const { email } = await signedUpUser('recover-twice');
    expect((await client.auth.resetPasswordForEmail(email)).error).toBeNull();
    const second = await client.auth.resetPasswordForEmail(email);
    expect({ status: second.error?.status, code: second.error?.code }).toEqual({ status: 429, code: 'over_email_send_rate_limit' });
    expect(second.error?.message).toMatch(/^For security purposes, you can only request this after \d seconds\.$/);
  });

  it('a redirect_to outside site_url and additional_redirect_urls falls back to the site URL', async () => {
    const { email } = await signedUpUser('recover-redirect');
    expect((await anonClient().auth.resetPasswordForEmail(email, { redirectTo: 'https://evil.example.com/steal' })).error).toBeNull();
    const link = new URL((await latestMailTo(stack().mailUrl, email)).links[0]!);
    expect(link.searchParams.get('redirect_to')).toBe('http://127.0.0.1:5173');
  });
});

describe('admin links and invitations', () => {
  it('generateLink (recovery, magiclink, signup, invite): action_link, email_otp and hashed_token that /verify accepts', async () => {
    const admin = serviceClient().auth.admin;
    const { email } = await signedUpUser('genlink');
    const recovery = await admin.generateLink({ type: 'recovery', email });
    expect(recovery.error).toBeNull();
    expect(recovery.data.properties).toMatchObject({ verification_type: 'recovery', email_otp: expect.stringMatching(/^\d{6}$/), hashed_token: expect.stringMatching(/^[0-9a-f]{56}$/) });
    expect(new URL(recovery.data.properties!.action_link).searchParams.get('token')).toBe(recovery.data.properties!.hashed_token);
    // The code works with the email (POST /verify with email + token).
    const viaCode = await anonClient().auth.verifyOtp({ email, token: recovery.data.properties!.email_otp, type: 'recovery' });
    expect(viaCode.error).toBeNull();
    const wrongCode = await anonClient().auth.verifyOtp({ email, token: '000000', type: 'recovery' });
    expect({ status: wrongCode.error?.status, code: wrongCode.error?.code, message: wrongCode.error?.message }).toEqual({ status: 403, code: 'otp_expired', message: 'Token has expired or is invalid' });

    const newEmail = `genlink-signup-${Date.now()}@example.test`;
    const signup = await admin.generateLink({ type: 'signup', email: newEmail, password: PASSWORD });
    expect(signup.error).toBeNull();
    expect(signup.data.user?.email_confirmed_at).toBeUndefined();
    const confirmed = await anonClient().auth.verifyOtp({ token_hash: signup.data.properties!.hashed_token, type: 'signup' });
    expect(confirmed.error).toBeNull();
    expect(confirmed.data.user?.email_confirmed_at).toBeTruthy();

    const missing = await admin.generateLink({ type: 'recovery', email: `missing-${Date.now()}@example.test` });
    expect({ status: missing.error?.status, code: missing.error?.code }).toEqual({ status: 404, code: 'user_not_found' });
  });

  it('inviteUserByEmail mails an invite; the link signs the invitee in (type invite), who then sets a password', async () => {
    const email = `invitee-${Date.now()}@example.test`;
    const { data, error } = await serviceClient().auth.admin.inviteUserByEmail(email, { redirectTo: 'http://127.0.0.1:5173/welcome', data: { invited_by: 'test' } });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, invited_at: expect.any(String) });
    const mail = await latestMailTo(stack().mailUrl, email);
    expect(mail.subject).toBe("You've been invited");
    const res = await fetch(mail.links[0]!, { redirect: 'manual' });
    const fragment = new URLSearchParams(new URL(res.headers.get('location')!).hash.slice(1));
    expect(fragment.get('type')).toBe('invite');
    const client = anonClient();
    await client.auth.setSession({ access_token: fragment.get('access_token')!, refresh_token: fragment.get('refresh_token')! });
    expect((await client.auth.updateUser({ password: PASSWORD })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
    // Inviting a confirmed user again is email_exists.
    const again = await serviceClient().auth.admin.inviteUserByEmail(email);
    expect({ status: again.error?.status, code: again.error?.code }).toEqual({ status: 422, code: 'email_exists' });
  });
});

describe('web3', () => {
  it('answers the disabled Web3 grant with 422 web3_provider_disabled, as GoTrue', async () => {
    const res = await authFetch('/token?grant_type=web3', { method: 'POST', body: JSON.stringify({ chain: 'ethereum', message: 'x', signature: 'y' }) });
    expect({ status: res.status, body: res.json() }).toEqual({ status: 422, body: { code: 422, error_code: 'web3_provider_disabled', msg: 'Web3 provider is disabled' } });
  });
});
