import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authFetch, PASSWORD, signedUpUser, uniqueEmail } from './auth-support.ts';
import { anonClient, db, serviceClient, stack } from './support.ts';

const asService = { apikey: stack().serviceRoleKey, token: stack().serviceRoleKey, apiVersion: '2024-01-01' };

describe('Auth admin API (service role)', () => {
  it('creates a user with password, email_confirm, app_metadata and user_metadata; the user can sign in', async () => {
    const email = uniqueEmail('admin-create');
    const { data, error } = await serviceClient().auth.admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      app_metadata: { tenant: 'acme', provider: 'email' },
      user_metadata: { name: 'Grace' },
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({
      email,
      aud: 'authenticated',
      role: 'authenticated',
      email_confirmed_at: expect.any(String),
      app_metadata: { provider: 'email', providers: ['email'], tenant: 'acme' },
      user_metadata: { name: 'Grace', email_verified: true },
      identities: [expect.objectContaining({ provider: 'email', identity_data: { sub: data.user!.id, email, email_verified: false, phone_verified: false } })],
    });
    const signIn = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toBeNull();
    const { data: jwtClaims } = await anonClient().auth.getClaims(signIn.data.session!.access_token);
    expect(jwtClaims?.claims.app_metadata).toEqual({ provider: 'email', providers: ['email'], tenant: 'acme' });
  });

  it('creates with a chosen id, refuses a taken email (email_exists) and a missing email', async () => {
    const id = randomUUID();
    const email = uniqueEmail('admin-id');
    const created = await serviceClient().auth.admin.createUser({ id, email, email_confirm: true } as never);
    expect(created.data.user?.id).toBe(id);
    const taken = await serviceClient().auth.admin.createUser({ email: email.toUpperCase() });
    expect(taken.error).toMatchObject({ status: 422, code: 'email_exists', message: 'A user with this email address has already been registered' });
    const none = await authFetch('/admin/users', { ...asService, method: 'POST', body: JSON.stringify({ user_metadata: {} }) });
    expect(none.status).toBe(400);
    expect(none.json()).toEqual({ code: 'validation_failed', message: 'Cannot create a user without either an email or phone' });
    const badId = await authFetch('/admin/users', { ...asService, method: 'POST', body: JSON.stringify({ id: 'x', email: uniqueEmail('badid') }) });
    expect(badId.json()).toEqual({ code: 'validation_failed', message: 'ID must conform to the uuid v4 format' });
    const typed = await authFetch('/admin/users', { ...asService, method: 'POST', body: JSON.stringify({ email: uniqueEmail('typed'), email_confirm: 'yes' }) });
    expect(typed.status).toBe(400);
    expect(typed.json().code).toBe('bad_json');
  });

  it('lists users with page/per_page and the X-Total-Count and Link headers', async () => {
    for (let i = 0; i < 3; i++) await serviceClient().auth.admin.createUser({ email: uniqueEmail(`list${i}`) });
    // Other test files create users concurrently: the count can only grow while this test runs.
    const { rows } = await db().query(`select count(*)::int as n from auth.users where instance_id = '00000000-0000-0000-0000-000000000000' and aud = 'authenticated'`);
    const raw = await authFetch('/admin/users?page=1&per_page=2', asService);
    expect(raw.status).toBe(200);
    const total = Number(raw.headers.get('x-total-count'));
    expect(total).toBeGreaterThanOrEqual(rows[0].n);
    const lastPage = Math.ceil(total / 2);
    expect(raw.headers.get('link')).toBe(`</admin/users?page=2&per_page=2>; rel="next", </admin/users?page=${lastPage}&per_page=2>; rel="last"`);
    const body = raw.json();
    expect(body.aud).toBe('authenticated');
    expect(body.users).toHaveLength(2);
    expect(body.users[0].identities).toBeNull();
    expect(Date.parse(body.users[0].created_at)).toBeGreaterThanOrEqual(Date.parse(body.users[1].created_at));

    const { data, error } = await serviceClient().auth.admin.listUsers({ page: 1, perPage: 2 });
    expect(error).toBeNull();
    expect(data.users).toHaveLength(2);
    if (!('total' in data)) throw new Error('listUsers returned no pagination');
    expect(data.total).toBeGreaterThanOrEqual(total);
    expect(data.nextPage).toBe(2);

    const bad = await authFetch('/admin/users?page=abc', asService);
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ code: 'validation_failed', message: 'Bad Pagination Parameters: strconv.ParseUint: parsing "abc": invalid syntax' });
    const huge = await authFetch('/admin/users?page=99999999999999999999999', asService);
    expect(huge.json()).toEqual({ code: 'validation_failed', message: 'Bad Pagination Parameters: strconv.ParseUint: parsing "99999999999999999999999": value out of range' });
    const farAway = await authFetch('/admin/users?page=9007199254740993&per_page=1000000000', asService);
    expect(farAway.status).toBe(200);
    expect(farAway.json().users).toEqual([]);
    const badSort = await authFetch('/admin/users?sort=email', asService);
    expect(badSort.json()).toEqual({ code: 'validation_failed', message: "Bad Sort Parameters: bad field for sort 'email'" });
  });

  it('filters the list by email', async () => {
    const email = uniqueEmail('needle');
    await serviceClient().auth.admin.createUser({ email });
    const raw = await authFetch(`/admin/users?filter=${encodeURIComponent(email)}`, asService);
    expect(raw.json().users.map((u: { email: string }) => u.email)).toEqual([email]);
    expect(raw.headers.get('x-total-count')).toBe('1');
  });

  it('gets a user by id; unknown and malformed ids are 404', async () => {
    const { session } = await signedUpUser('admin-get');
    const { data, error } = await serviceClient().auth.admin.getUserById(session.user.id);
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: session.user.id, email: session.user.email, identities: [expect.objectContaining({ provider: 'email' })] });
    const missing = await serviceClient().auth.admin.getUserById(randomUUID());
    expect(missing.error).toMatchObject({ status: 404, code: 'user_not_found', message: 'User not found' });
    const malformed = await authFetch('/admin/users/not-a-uuid', asService);
    expect(malformed.status).toBe(404);
    expect(malformed.json()).toEqual({ code: 'validation_failed', message: 'user_id must be an UUID' });
  });

  it('updates app_metadata (merged), user_metadata and the password; the new token carries the app_metadata', async () => {
    const { session, email } = await signedUpUser('admin-update');
    const { data, error } = await serviceClient().auth.admin.updateUserById(session.user.id, {
      app_metadata: { vendor_id: 7, roles: ['vendor'] },
      user_metadata: { nickname: 'v' },
      password: 'changed-by-admin',
    });
    expect(error).toBeNull();
    expect(data.user!.app_metadata).toEqual({ provider: 'email', providers: ['email'], vendor_id: 7, roles: ['vendor'] });
    expect(data.user!.user_metadata).toMatchObject({ nickname: 'v', email_verified: true });
    // An admin password change ends the user's sessions.
    expect((await anonClient().auth.refreshSession({ refresh_token: session.refresh_token })).error?.code).toBe('refresh_token_not_found');
    const signIn = await anonClient().auth.signInWithPassword({ email, password: 'changed-by-admin' });
    expect(signIn.error).toBeNull();
    expect(signIn.data.user!.app_metadata).toMatchObject({ vendor_id: 7 });
    const { data: claims } = await anonClient().auth.getClaims(signIn.data.session!.access_token);
    expect(claims?.claims.app_metadata).toMatchObject({ vendor_id: 7, roles: ['vendor'] });

    const removed = await serviceClient().auth.admin.updateUserById(session.user.id, { app_metadata: { vendor_id: null } });
    expect(removed.data.user!.app_metadata).not.toHaveProperty('vendor_id');
  });

  it('bans with ban_duration: sign-in, refresh and /user are refused until the ban is lifted', async () => {
    const { session, email } = await signedUpUser('banned');
    const banned = await serviceClient().auth.admin.updateUserById(session.user.id, { ban_duration: '24h' });
    expect(banned.error).toBeNull();
    expect(Date.parse(banned.data.user!.banned_until as string)).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const signIn = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toMatchObject({ status: 400, code: 'user_banned', message: 'User is banned' });
    const refresh = await anonClient().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refresh.error).toMatchObject({ status: 400, code: 'user_banned', message: 'Invalid Refresh Token: User Banned' });
    const user = await authFetch('/user', { token: session.access_token, apiVersion: '2024-01-01' });
    expect(user.status).toBe(403);
    expect(user.json()).toEqual({ code: 'user_banned', message: 'User is banned' });

    const badDuration = await authFetch(`/admin/users/${session.user.id}`, { ...asService, method: 'PUT', body: JSON.stringify({ ban_duration: '1 day' }) });
    expect(badDuration.status).toBe(400);
    expect(badDuration.json()).toEqual({ code: 'validation_failed', message: 'invalid format for ban duration: time: unknown unit " day" in duration "1 day"' });

    const lifted = await serviceClient().auth.admin.updateUserById(session.user.id, { ban_duration: 'none' });
    expect(lifted.data.user).not.toHaveProperty('banned_until');
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  });

  it('deletes a user with its identities and sessions; the user can no longer sign in', async () => {
    const { session, email } = await signedUpUser('admin-delete');
    const { data, error } = await serviceClient().auth.admin.deleteUser(session.user.id);
    expect(error).toBeNull();
    expect(data.user).toEqual({});
    const { rows } = await db().query(
      `select (select count(*)::int from auth.users where id = $1) as users, (select count(*)::int from auth.identities where user_id = $1) as identities,
              (select count(*)::int from auth.sessions where user_id = $1) as sessions, (select count(*)::int from auth.refresh_tokens where user_id = $1::text) as tokens`,
      [session.user.id],
    );
    expect(rows[0]).toEqual({ users: 0, identities: 0, sessions: 0, tokens: 0 });
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
    expect((await serviceClient().auth.admin.deleteUser(session.user.id)).error).toMatchObject({ status: 404, code: 'user_not_found' });
  });

  it('soft-deletes a user: the row stays, scrubbed, and can no longer sign in', async () => {
    const { session, email } = await signedUpUser('soft');
    expect((await serviceClient().auth.admin.deleteUser(session.user.id, true)).error).toBeNull();
    const { rows } = await db().query('select email, encrypted_password, deleted_at is not null as deleted, raw_user_meta_data from auth.users where id = $1', [session.user.id]);
    expect(rows[0]).toMatchObject({ encrypted_password: null, deleted: true, raw_user_meta_data: {} });
    expect(rows[0].email).not.toBe(email);
    expect((await anonClient().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
  });
});

describe('Auth admin API denied to non-admins', () => {
  it('answers the anon key and a user token with 403 not_admin, and no token with 401', async () => {
    const { session, client } = await signedUpUser('not-admin');
    const target = `/admin/users/${session.user.id}`;
    for (const token of [stack().anonKey, session.access_token]) {
      for (const [method, path, body] of [
        ['GET', '/admin/users', undefined],
        ['POST', '/admin/users', JSON.stringify({ email: uniqueEmail('sneaky') })],
        ['GET', target, undefined],
        ['PUT', target, JSON.stringify({ app_metadata: { role: 'admin' } })],
        ['DELETE', target, undefined],
        ['GET', '/admin/anything-else', undefined],
      ] as const) {
        const res = await authFetch(path, { method, body, token, apiVersion: '2024-01-01' });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.json()).toEqual({ code: 'not_admin', message: 'User not allowed' });
      }
    }
    const noToken = await authFetch('/admin/users', { apiVersion: '2024-01-01' });
    expect(noToken.status).toBe(401);
    expect(noToken.json().code).toBe('no_authorization');

    // supabase-js as a signed-in user: the admin API sends the client's own key, which is not an admin.
    const viaClient = await client.auth.admin.listUsers();
    expect(viaClient.error).toMatchObject({ status: 403, code: 'not_admin' });
    const { rows } = await db().query(`select raw_app_meta_data from auth.users where id = $1`, [session.user.id]);
    expect(rows[0].raw_app_meta_data).toEqual({ provider: 'email', providers: ['email'] });
  });
});
