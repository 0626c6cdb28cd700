import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authFetch, PASSWORD, signedUpUser, uniqueEmail } from './auth-support.ts';
import { anonClient, db, stack } from './support.ts';

const decodeJwt = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8'));

describe('Auth: sign-up', () => {
  it('creates a confirmed user with an email identity and returns a session (confirmations off, as the CLI)', async () => {
    const email = uniqueEmail('SignUp').toUpperCase();
    const before = Math.floor(Date.now() / 1000);
    const { data, error } = await anonClient().auth.signUp({ email, password: PASSWORD, options: { data: { display_name: 'Ada' } } });
    const after = Math.floor(Date.now() / 1000);
    expect(error).toBeNull();
    const { session, user } = data;
    expect(session).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(session?.refresh_token).toMatch(/^[a-z2-7]{12}$/);
    // Issued during the request: a second boundary may fall between the request and this line.
    expect(session!.expires_at).toBeGreaterThanOrEqual(before + 3600);
    expect(session!.expires_at).toBeLessThanOrEqual(after + 3600);
    expect(Object.keys(user!)).toEqual([
      'id', 'aud', 'role', 'email', 'email_confirmed_at', 'phone', 'confirmed_at', 'last_sign_in_at',
      'app_metadata', 'user_metadata', 'identities', 'created_at', 'updated_at', 'is_anonymous',
    ]);
    expect(user).toMatchObject({
      aud: 'authenticated',
      role: 'authenticated',
      email: email.toLowerCase(),
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { display_name: 'Ada', email: email.toLowerCase(), email_verified: true, phone_verified: false, sub: user!.id },
      is_anonymous: false,
    });
    expect(user!.identities).toHaveLength(1);
    expect(user!.identities![0]).toMatchObject({
      id: user!.id,
      user_id: user!.id,
      provider: 'email',
      email: email.toLowerCase(),
      identity_data: { sub: user!.id, email: email.toLowerCase(), email_verified: false, phone_verified: false, display_name: 'Ada' },
    });

    const claims = decodeJwt(session!.access_token);
    expect(Object.keys(claims)).toEqual([
      'iss', 'sub', 'aud', 'exp', 'iat', 'email', 'phone', 'app_metadata', 'user_metadata', 'role', 'aal', 'amr', 'session_id', 'is_anonymous',
    ]);
    expect(claims).toMatchObject({
      iss: `${stack().apiUrl}/auth/v1`,
      sub: user!.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: email.toLowerCase(),
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: expect.any(Number) }],
      is_anonymous: false,
    });
    expect(claims.exp - claims.iat).toBe(3600);

    const { rows } = await db().query(
      `select u.encrypted_password, u.instance_id, s.id as session_id, r.token
         from auth.users u join auth.sessions s on s.user_id = u.id join auth.refresh_tokens r on r.session_id = s.id
        where u.id = $1`,
      [user!.id],
    );
    expect(rows).toEqual([{ encrypted_password: expect.stringMatching(/^\$2a\$10\$/), instance_id: '00000000-0000-0000-0000-000000000000', session_id: claims.session_id, token: session!.refresh_token }]);
  });

  it('refuses a registered email with user_already_exists (422)', async () => {
    const { email } = await signedUpUser('dup');
    const { data, error } = await anonClient().auth.signUp({ email: email.toUpperCase(), password: PASSWORD });
    expect(data.user).toBeNull();
    expect(error).toMatchObject({ name: 'AuthApiError', status: 422, code: 'user_already_exists', message: 'User already registered' });
  });

  it('lets exactly one of several concurrent sign-ups with the same email win', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all([1, 2, 3].map(() => anonClient().auth.signUp({ email, password: PASSWORD })));
    expect(results.filter((r) => r.error === null)).toHaveLength(1);
    for (const r of results.filter((x) => x.error)) expect(r.error).toMatchObject({ status: 422, code: 'user_already_exists' });
    const { rows } = await db().query(
      `select (select count(*)::int from auth.users where email = $1) as users, (select count(*)::int from auth.identities where email = $1) as identities`,
      [email],
    );
    expect(rows[0]).toEqual({ users: 1, identities: 1 });
  });

  it('refuses weak passwords with weak_password and its reasons', async () => {
    const email = uniqueEmail('weak');
    const { error } = await anonClient().auth.signUp({ email, password: '12345' });
    expect(error).toMatchObject({ name: 'AuthWeakPasswordError', status: 422, code: 'weak_password', reasons: ['length'] });
    expect(error!.message).toBe('Password should be at least 6 characters.');
    const raw = await authFetch('/signup', { method: 'POST', body: JSON.stringify({ email, password: 'abc' }), apiVersion: '2024-01-01' });
    expect(raw.status).toBe(422);
    expect(raw.json()).toEqual({ code: 'weak_password', message: 'Password should be at least 6 characters.', weak_password: { reasons: ['length'] } });
    const { rows } = await db().query('select 1 from auth.users where email = $1', [email]);
    expect(rows).toHaveLength(0);
  });

  it('refuses passwords over 72 bytes and missing passwords with validation_failed', async () => {
    const long = await anonClient().auth.signUp({ email: uniqueEmail('long'), password: 'x'.repeat(73) });
    expect(long.error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Password cannot be longer than 72 characters' });
    const missing = await authFetch('/signup', { method: 'POST', body: JSON.stringify({ email: uniqueEmail('nopw') }), apiVersion: '2024-01-01' });
    expect(missing.status).toBe(400);
    expect(missing.json()).toEqual({ code: 'validation_failed', message: 'Signup requires a valid password' });
  });

  it('refuses invalid email addresses', async () => {
    for (const email of ['not-an-email', 'a@b@c.test', 'space @example.test', `${'a'.repeat(250)}@example.test`]) {
      const { error } = await anonClient().auth.signUp({ email, password: PASSWORD });
      expect(error, email).toMatchObject({ status: 400, code: 'validation_failed' });
    }
    const { error } = await anonClient().auth.signUp({ email: 'nope', password: PASSWORD });
    expect(error!.message).toBe('Unable to validate email address: invalid format');
  });

  it('refuses sign-up without email (anonymous sign-ins are off) and by phone (SMS sign-up is off)', async () => {
    const anonymous = await anonClient().auth.signUp({ email: '', password: PASSWORD });
    expect(anonymous.error).toMatchObject({ status: 422, code: 'anonymous_provider_disabled' });
    const phone = await anonClient().auth.signUp({ phone: '+15555550100', password: PASSWORD });
    expect(phone.error).toMatchObject({ status: 400, code: 'phone_provider_disabled', message: 'Phone signups are disabled' });
  });
});

describe('Auth: malformed requests', () => {
  it('answers malformed JSON and wrong types with 400 bad_json in both API versions, creating nothing', async () => {
    const legacy = await authFetch('/signup', { method: 'POST', body: '{"email": ' });
    expect(legacy.status).toBe(400);
    expect(legacy.headers.get('x-sb-error-code')).toBe('bad_json');
    expect(legacy.headers.get('x-supabase-api-version')).toBeNull();
    expect(legacy.json()).toEqual({ code: 400, error_code: 'bad_json', msg: 'Could not parse request body as JSON: unexpected end of JSON input' });

    const typed = await authFetch('/signup', { method: 'POST', body: JSON.stringify({ email: 42, password: PASSWORD }), apiVersion: '2024-01-01' });
    expect(typed.status).toBe(400);
    expect(typed.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    // auth-js reads the error code from `code` only when it can read this header: a browser only can if it is exposed.
    expect(typed.headers.get('access-control-expose-headers')).toContain('X-Supabase-Api-Version');
    expect(typed.json()).toEqual({
      code: 'bad_json',
      message: 'Could not parse request body as JSON: json: cannot unmarshal number into Go struct field SignupParams.email of type string',
    });

    for (const body of ['[1,2]', '"text"', 'not json', '{"data": [1]}', '{"password": true}']) {
      const res = await authFetch('/signup', { method: 'POST', body, apiVersion: '2024-01-01' });
      expect(res.status, body).toBe(400);
      expect(res.json().code, body).toBe('bad_json');
    }
    for (const body of ['{', '{"refresh_token": 5}']) {
      const res = await authFetch('/token?grant_type=refresh_token', { method: 'POST', body, apiVersion: '2024-01-01' });
      expect(res.status, body).toBe(400);
      expect(res.json().code, body).toBe('bad_json');
    }
  });

  it('answers unknown grant types, paths and methods as GoTrue does', async () => {
    const grant = await authFetch('/token?grant_type=magic', { method: 'POST', body: '{}', apiVersion: '2024-01-01' });
    expect(grant.status).toBe(400);
    expect(grant.json()).toEqual({ code: 'invalid_credentials', message: 'unsupported_grant_type' });
    const unknown = await authFetch('/no-such-endpoint');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe('404 page not found\n');
    const method = await authFetch('/signup', { method: 'GET' });
    expect(method.status).toBe(405);
    expect(method.text).toBe('');
  });

  it('refuses a request body over 1 MB with 413', async () => {
    const res = await authFetch('/signup', { method: 'POST', body: JSON.stringify({ email: uniqueEmail('big'), password: PASSWORD, data: { blob: 'x'.repeat(1 << 20) } }), apiVersion: '2024-01-01' });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ code: 'request_entity_too_large', message: 'Request body too large (max 1048576 bytes)' });
  });
});

describe('Auth: password sign-in', () => {
  it('signs in with the right password, case-insensitively on the email, in a new session', async () => {
    const { email, session: first } = await signedUpUser('signin');
    const client = anonClient();
    const { data, error } = await client.auth.signInWithPassword({ email: email.toUpperCase(), password: PASSWORD });
    expect(error).toBeNull();
    expect(data.user!.email).toBe(email);
    expect(data.session!.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(data.session!.access_token).session_id).not.toBe(decodeJwt(first.access_token).session_id);
    const { data: current } = await client.auth.getSession();
    expect(current.session?.access_token).toBe(data.session!.access_token);
  });

  it('refuses a wrong password and an unknown email alike with invalid_credentials (400)', async () => {
    const { email } = await signedUpUser('wrongpw');
    for (const credentials of [{ email, password: 'not-the-password' }, { email: uniqueEmail('nobody'), password: PASSWORD }]) {
      const { data, error } = await anonClient().auth.signInWithPassword(credentials);
      expect(data.session).toBeNull();
      expect(error).toMatchObject({ name: 'AuthApiError', status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' });
    }
    const missing = await authFetch('/token?grant_type=password', { method: 'POST', body: JSON.stringify({ password: PASSWORD }) });
    expect(missing.json()).toEqual({ code: 400, error_code: 'validation_failed', msg: 'missing email or phone' });
  });

  it('signs in a user created in SQL with pgcrypto bcrypt, as a seed does', async () => {
    const id = randomUUID();
    const email = uniqueEmail('seeded');
    await db().query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
         raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token, email_change_token_new, email_change)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
         extensions.crypt('seeded-secret', extensions.gen_salt('bf')), now(), '{"provider":"email","providers":["email"]}',
         '{"name":"Seed"}', now(), now(), '', '', '', '')`,
      [id, email],
    );
    const { rows } = await db().query('select encrypted_password from auth.users where id = $1', [id]);
    expect(rows[0].encrypted_password).toMatch(/^\$2a\$06\$/);
    const client = anonClient();
    const wrong = await client.auth.signInWithPassword({ email, password: 'seeded-secreT' });
    expect(wrong.error?.code).toBe('invalid_credentials');
    const { data, error } = await client.auth.signInWithPassword({ email, password: 'seeded-secret' });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id, email, user_metadata: { name: 'Seed' }, identities: [] });
  });

  it('reports a weak stored password on sign-in without refusing it', async () => {
    const id = randomUUID();
    const email = uniqueEmail('weakseed');
    await db().query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, extensions.crypt('abc', extensions.gen_salt('bf')), now(), '{}', '{}', now(), now())`,
      [id, email],
    );
    const { data, error } = await anonClient().auth.signInWithPassword({ email, password: 'abc' });
    expect(error).toBeNull();
    expect(data.weakPassword).toEqual({ message: 'Password should be at least 6 characters.', reasons: ['length'] });
  });

  it('refuses an unconfirmed user with email_not_confirmed', async () => {
    const email = uniqueEmail('unconfirmed');
    const admin = await authFetch('/admin/users', {
      method: 'POST',
      apikey: stack().serviceRoleKey,
      token: stack().serviceRoleKey,
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(admin.status).toBe(200);
    expect(admin.json().email_confirmed_at).toBeUndefined();
    const { error } = await anonClient().auth.signInWithPassword({ email, password: PASSWORD });
    expect(error).toMatchObject({ status: 400, code: 'email_not_confirmed', message: 'Email not confirmed' });
  });
});
