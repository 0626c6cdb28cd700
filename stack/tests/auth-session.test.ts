import { isAuthSessionMissingError, type AuthChangeEvent } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { signJwt } from '../jwt.ts';
import { authFetch, PASSWORD, signedUpUser } from './auth-support.ts';
import { anonClient, db, serviceClient, stack, tokenFor } from './support.ts';

const decodeJwt = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));

/** Pretend `seconds` passed since the session's refresh tokens were last used or revoked. */
async function ageRefreshTokens(sessionId: string, seconds: number) {
  await db().query(`update auth.refresh_tokens set updated_at = updated_at - make_interval(secs => $2) where session_id = $1`, [sessionId, seconds]);
}

describe('Auth: the signed-in user', () => {
  it('getUser answers the user of the access token', async () => {
    const { client, session } = await signedUpUser('getuser');
    const { data, error } = await client.auth.getUser();
    expect(error).toBeNull();
    expect(data.user).toEqual(session.user);
  });

  it('updateUser merges user_metadata (null removes a key) and emits USER_UPDATED', async () => {
    const { client } = await signedUpUser('meta', { theme: 'dark', team: 'blue' });
    const events: AuthChangeEvent[] = [];
    client.auth.onAuthStateChange((event) => void events.push(event));
    const { data, error } = await client.auth.updateUser({ data: { theme: 'light', team: null, nested: { a: 1 } } });
    expect(error).toBeNull();
    expect(data.user!.user_metadata).toMatchObject({ theme: 'light', nested: { a: 1 } });
    expect(data.user!.user_metadata).not.toHaveProperty('team');
    expect(events).toContain('USER_UPDATED');
    const { data: fresh } = await client.auth.getUser();
    expect(fresh.user!.user_metadata).toEqual(data.user!.user_metadata);
  });

  it('updateUser refuses app_metadata for a normal user with not_admin (403)', async () => {
    const { session } = await signedUpUser('appmeta');
    const res = await authFetch('/user', { method: 'PUT', token: session.access_token, body: JSON.stringify({ app_metadata: { role: 'admin' } }), apiVersion: '2024-01-01' });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ code: 'not_admin', message: 'Updating app_metadata requires admin privileges' });
  });

  it('updateUser changes the password: the new one signs in, the old one not, other sessions end', async () => {
    const { client, email } = await signedUpUser('pw');
    const other = anonClient();
    const { data: otherLogin } = await other.auth.signInWithPassword({ email, password: PASSWORD });

    const same = await client.auth.updateUser({ password: PASSWORD });
    expect(same.error).toMatchObject({ status: 422, code: 'same_password' });
    const weak = await client.auth.updateUser({ password: 'abc' });
    expect(weak.error).toMatchObject({ status: 422, code: 'weak_password' });

    const { error } = await client.auth.updateUser({ password: 'a-new-password' });
    expect(error).toBeNull();
    const old = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    expect(old.error?.code).toBe('invalid_credentials');
    const fresh = await anonClient().auth.signInWithPassword({ email, password: 'a-new-password' });
    expect(fresh.error).toBeNull();
    // This session survives; the other one was signed out.
    expect((await client.auth.getUser()).error).toBeNull();
    const otherUser = await anonClient().auth.getUser(otherLogin.session!.access_token);
    expect(isAuthSessionMissingError(otherUser.error)).toBe(true);
    const otherRefresh = await other.auth.refreshSession();
    expect(otherRefresh.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
  });

  it('updateUser with a new email leaves it pending confirmation (new_email), as GoTrue with double confirm', async () => {
    const { client, email } = await signedUpUser('chg');
    const { data, error } = await client.auth.updateUser({ email: `NEW-${email}` });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, new_email: `new-${email}`, email_change_sent_at: expect.any(String) });
    const taken = await signedUpUser('taken');
    const clash = await client.auth.updateUser({ email: taken.email });
    expect(clash.error).toMatchObject({ status: 422, code: 'email_exists' });
  });
});

describe('Auth: refresh tokens', () => {
  it('rotates the refresh token and emits TOKEN_REFRESHED', async () => {
    const { client, session } = await signedUpUser('rotate');
    const events: AuthChangeEvent[] = [];
    client.auth.onAuthStateChange((event) => void events.push(event));
    const { data, error } = await client.auth.refreshSession();
    expect(error).toBeNull();
    expect(data.session!.refresh_token).not.toBe(session.refresh_token);
    expect(decodeJwt(data.session!.access_token).session_id).toBe(decodeJwt(session.access_token).session_id);
    expect(events).toEqual(['INITIAL_SESSION', 'TOKEN_REFRESHED']);
    const { rows } = await db().query('select token, revoked, parent from auth.refresh_tokens where session_id = $1 order by id', [decodeJwt(session.access_token).session_id]);
    expect(rows).toEqual([
      { token: session.refresh_token, revoked: true, parent: null },
      { token: data.session!.refresh_token, revoked: false, parent: session.refresh_token },
    ]);
  });

  it('answers the parent of the active token with the active token (the client lost the last answer)', async () => {
    const { client, session } = await signedUpUser('lost');
    const { data: rotated } = await client.auth.refreshSession();
    const { data, error } = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    expect(data.session!.refresh_token).toBe(rotated.session!.refresh_token);
  });

  it('accepts an older revoked token within the 10 s reuse interval', async () => {
    const { client, session } = await signedUpUser('interval');
    await client.auth.refreshSession();
    await client.auth.refreshSession();
    const { data, error } = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    expect(data.session!.refresh_token).toMatch(/^[a-z2-7]{12}$/);
  });

  it('detects reuse after the interval: refresh_token_already_used, and the whole session can no longer refresh', async () => {
    const { client, session } = await signedUpUser('reuse');
    const sessionId = decodeJwt(session.access_token).session_id;
    await client.auth.refreshSession();
    const { data: latest } = await client.auth.refreshSession();
    await ageRefreshTokens(sessionId, 11);

    const reuse = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(reuse.error).toMatchObject({ name: 'AuthApiError', status: 400, code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' });
    const { rows } = await db().query('select bool_and(revoked) as all_revoked, count(*)::int as n from auth.refresh_tokens where session_id = $1', [sessionId]);
    expect(rows[0]).toEqual({ all_revoked: true, n: 3 });

    await ageRefreshTokens(sessionId, 11);
    const raw = await authFetch('/token?grant_type=refresh_token', {
      method: 'POST',
      body: JSON.stringify({ refresh_token: latest.session!.refresh_token }),
      apiVersion: '2024-01-01',
    });
    expect(raw.status).toBe(400);
    expect(raw.json()).toEqual({ code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' });
  });

  it('gives concurrent refreshes of one token the same new token (GoTrue serialises them per session)', async () => {
    const { session } = await signedUpUser('concurrent');
    const results = await Promise.all([1, 2, 3, 4].map(() => anonClient().auth.refreshSession({ refresh_token: session.refresh_token })));
    for (const r of results) expect(r.error).toBeNull();
    expect(new Set(results.map((r) => r.data.session!.refresh_token)).size).toBe(1);
    const { rows } = await db().query('select count(*)::int as active from auth.refresh_tokens where session_id = $1 and not revoked', [
      decodeJwt(session.access_token).session_id,
    ]);
    expect(rows[0].active).toBe(1);
  });

  it('refuses unknown and malformed refresh tokens', async () => {
    const unknown = await anonClient().auth.refreshSession({ refresh_token: 'abcdefghijkl' });
    expect(unknown.error).toMatchObject({ status: 400, code: 'refresh_token_not_found', message: 'Invalid Refresh Token: Refresh Token Not Found' });
    const malformed = await anonClient().auth.refreshSession({ refresh_token: "x' or 1=1 --" });
    expect(malformed.error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Refresh token is not valid' });
  });
});

describe('Auth: sign-out', () => {
  it('signOut (global) ends every session: refresh fails, the old access token is refused', async () => {
    const { client, email, session } = await signedUpUser('out');
    const second = anonClient();
    await second.auth.signInWithPassword({ email, password: PASSWORD });
    const events: AuthChangeEvent[] = [];
    client.auth.onAuthStateChange((event) => void events.push(event));

    expect((await client.auth.signOut()).error).toBeNull();
    expect(events).toEqual(['INITIAL_SESSION', 'SIGNED_OUT']);
    expect((await client.auth.getSession()).data.session).toBeNull();

    const refresh = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refresh.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
    expect((await second.auth.refreshSession()).error?.code).toBe('refresh_token_not_found');
    const raw = await authFetch('/user', { token: session.access_token, apiVersion: '2024-01-01' });
    expect(raw.status).toBe(403);
    expect(raw.json()).toEqual({ code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist' });
    const { error } = await anonClient().auth.getUser(session.access_token);
    expect(isAuthSessionMissingError(error)).toBe(true);
  });

  it("signOut({scope: 'local'}) ends only this session, 'others' every other one", async () => {
    const { client: first, email } = await signedUpUser('scopes');
    const second = anonClient();
    const third = anonClient();
    await second.auth.signInWithPassword({ email, password: PASSWORD });
    await third.auth.signInWithPassword({ email, password: PASSWORD });

    expect((await second.auth.signOut({ scope: 'local' })).error).toBeNull();
    expect((await first.auth.refreshSession()).error).toBeNull();
    expect((await third.auth.refreshSession()).error).toBeNull();

    expect((await first.auth.signOut({ scope: 'others' })).error).toBeNull();
    expect((await first.auth.refreshSession()).error).toBeNull();
    expect((await third.auth.refreshSession()).error?.code).toBe('refresh_token_not_found');

    const bad = await authFetch('/logout?scope=everything', { method: 'POST', token: (await first.auth.getSession()).data.session!.access_token, apiVersion: '2024-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ code: 'validation_failed', message: 'Unsupported logout scope "everything"' });
  });

  it('emits SIGNED_IN, TOKEN_REFRESHED and SIGNED_OUT in order for one client', async () => {
    const { email } = await signedUpUser('events');
    const client = anonClient();
    const events: Array<[AuthChangeEvent, boolean]> = [];
    client.auth.onAuthStateChange((event, session) => void events.push([event, session !== null]));
    await client.auth.signInWithPassword({ email, password: PASSWORD });
    await client.auth.refreshSession();
    await client.auth.signOut();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([
      ['INITIAL_SESSION', false],
      ['SIGNED_IN', true],
      ['TOKEN_REFRESHED', true],
      ['SIGNED_OUT', false],
    ]);
  });
});

describe('Auth: bad JWTs on /user', () => {
  it('refuses forged, expired, alg=none and garbage tokens with 403 bad_jwt', async () => {
    const { session } = await signedUpUser('jwt');
    const claims = decodeJwt(session.access_token);
    const cases: Array<[string, string]> = [
      [signJwt(claims, 'not-the-secret-not-the-secret-not-the-secret'), 'token signature is invalid: signature is invalid'],
      [tokenFor({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }), 'token has invalid claims: token is expired'],
      [tokenFor({ ...claims, nbf: Math.floor(Date.now() / 1000) + 600 }), 'token has invalid claims: token is not valid yet'],
      [
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${session.access_token.split('.')[1]}.`,
        'token signature is invalid: signing method none is invalid',
      ],
      ['not.a-jwt', 'token is malformed: token contains an invalid number of segments'],
    ];
    for (const [token, reason] of cases) {
      const res = await authFetch('/user', { token, apiVersion: '2024-01-01' });
      expect(res.status, reason).toBe(403);
      expect(res.json()).toEqual({ code: 'bad_jwt', message: `invalid JWT: unable to parse or verify signature, ${reason}` });
      const { data, error } = await anonClient().auth.getUser(token);
      expect(data.user).toBeNull();
      expect(error).toMatchObject({ status: 403, code: 'bad_jwt' });
    }
  });

  it('refuses a token without sub, a non-UUID sub and the anon key', async () => {
    const noSub = await authFetch('/user', { token: stack().anonKey, apiVersion: '2024-01-01' });
    expect(noSub.status).toBe(403);
    expect(noSub.json()).toEqual({ code: 'bad_jwt', message: 'invalid claim: missing sub claim' });
    const badSub = await authFetch('/user', { token: tokenFor({ sub: "1' or '1'='1" }), apiVersion: '2024-01-01' });
    expect(badSub.status).toBe(400);
    expect(badSub.json()).toEqual({ code: 'bad_jwt', message: 'invalid claim: sub claim must be a UUID' });
    const none = await authFetch('/user', { apiVersion: '2024-01-01' });
    expect(none.status).toBe(401);
    expect(none.json()).toEqual({ code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' });
  });

  it('refuses the token of a deleted user with user_not_found (403)', async () => {
    const { session } = await signedUpUser('deleted');
    expect((await serviceClient().auth.admin.deleteUser(session.user.id)).error).toBeNull();
    const raw = await authFetch('/user', { token: session.access_token, apiVersion: '2024-01-01' });
    expect(raw.status).toBe(403);
    expect(raw.json()).toEqual({ code: 'user_not_found', message: 'User from sub claim in JWT does not exist' });
    const refresh = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refresh.error?.code).toBe('refresh_token_not_found');
  });
});
