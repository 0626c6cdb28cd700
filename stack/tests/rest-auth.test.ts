import { describe, expect, it } from 'vitest';
import { signJwt } from '../jwt.ts';
import { bodyOf, conformance, rest } from './rest-support.ts';
import { anonClient, clientWithToken, db, serviceClient, stack, tokenFor, uniqueSuffix, userWithToken } from './support.ts';

describe('REST auth: roles and row level security', () => {
  it('isolates rows between two users with RLS', async () => {
    const alice = await userWithToken();
    const bob = await userWithToken();
    const batch = `n-${uniqueSuffix()}`;
    const created = await alice.client.from('rest_notes').insert({ body: 'alice secret', batch }).select('body, owner_id').single();
    expect(created.error).toBeNull();
    expect(created.data).toEqual({ body: 'alice secret', owner_id: alice.id });
    await bob.client.from('rest_notes').insert({ body: 'bob note', batch });

    expect((await alice.client.from('rest_notes').select('body').eq('batch', batch)).data).toEqual([{ body: 'alice secret' }]);
    expect((await bob.client.from('rest_notes').select('body').eq('batch', batch)).data).toEqual([{ body: 'bob note' }]);

    const update = await bob.client.from('rest_notes').update({ body: 'hacked' }).eq('batch', batch).eq('owner_id', alice.id).select();
    expect(update.status).toBe(200);
    expect(update.data).toEqual([]);
    const remove = await bob.client.from('rest_notes').delete().eq('batch', batch).eq('owner_id', alice.id).select();
    expect(remove.data).toEqual([]);
    const forged = await bob.client.from('rest_notes').insert({ body: 'as alice', owner_id: alice.id, batch });
    expect(forged.status).toBe(403);
    expect(forged.error).toEqual({ code: '42501', message: 'new row violates row-level security policy for table "rest_notes"', details: null, hint: null });

    const rows = (await db().query('select body, owner_id from public.rest_notes where batch = $1 order by body', [batch])).rows;
    expect(rows).toEqual([{ body: 'alice secret', owner_id: alice.id }, { body: 'bob note', owner_id: bob.id }]);
  });

  it('lets service_role bypass RLS and refuses anon with 401', async () => {
    const alice = await userWithToken();
    const batch = `n-${uniqueSuffix()}`;
    await alice.client.from('rest_notes').insert({ body: 'mine', batch });
    expect((await serviceClient().from('rest_notes').select('body').eq('batch', batch)).data).toEqual([{ body: 'mine' }]);
    const anon = await anonClient().from('rest_notes').select('body');
    expect(anon.status).toBe(401);
    expect(anon.error).toEqual({ code: '42501', message: 'permission denied for table rest_notes', details: null, hint: null });
  });

  it('answers 403 (not 401) to a signed-in role without the privilege', async () => {
    const user = await userWithToken();
    const res = await user.client.schema('conformance').from('secrets').select('*');
    expect(res.status).toBe(403);
    expect(res.error).toEqual({ code: '42501', message: 'permission denied for table secrets', details: null, hint: null });
  });

  it('uses the anon role when only the apikey header is sent', async () => {
    const res = await fetch(`${stack().apiUrl}/rest/v1/rpc/rest_whoami`, { method: 'POST', headers: { apikey: stack().anonKey, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toBe('anon');
  });
});

describe('REST auth: request context visible to SQL', () => {
  it('sets role, claims, method, path, headers, cookies and search_path per request', async () => {
    const user = await userWithToken({ tenant: 't1' });
    const res = await fetch(`${stack().apiUrl}/rest/v1/rpc/request_info`, {
      method: 'POST',
      headers: {
        apikey: stack().anonKey,
        authorization: `Bearer ${user.token}`,
        'content-type': 'application/json',
        'content-profile': 'conformance',
        'x-request-id': 'req-rest-1',
        'x-app-trace': 'trace-42',
        cookie: 'theme=dark; lang=en',
      },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-rest-1');
    const info = await bodyOf(res);
    expect(info).toMatchObject({
      role: 'authenticated',
      method: 'POST',
      path: '/rpc/request_info',
      cookies: { theme: 'dark', lang: 'en' },
      search_path: '"conformance", "public", "extensions"',
      uid: user.id,
      statement_timeout: '8s',
    });
    expect(info.claims).toMatchObject({ sub: user.id, email: user.email, role: 'authenticated', app_metadata: { tenant: 't1' } });
    expect(info.headers).toMatchObject({ 'x-request-id': 'req-rest-1', 'x-app-trace': 'trace-42', 'content-profile': 'conformance' });
    expect(info.headers.cookie).toBeUndefined();
  });

  it('runs reads in read-only transactions and applies the role settings of anon', async () => {
    const { data } = await conformance().rpc('request_info', {}, { get: true });
    expect(data).toMatchObject({ role: 'anon', method: 'GET', read_only: 'on', statement_timeout: '3s', claims: { role: 'anon', iss: 'supabase-demo' } });
  });

  it('applies Prefer: timezone', async () => {
    const res = await rest('/rpc/request_info', { method: 'POST', headers: { 'content-profile': 'conformance', 'content-type': 'application/json', prefer: 'timezone=America/Sao_Paulo' }, body: '{}' });
    expect(res.headers.get('preference-applied')).toBe('timezone=America/Sao_Paulo');
    expect((await bodyOf(res)).timezone).toBe('America/Sao_Paulo');
  });
});

describe('REST auth: bad tokens', () => {
  const withBearer = (token: string) =>
    fetch(`${stack().apiUrl}/rest/v1/rest_profile_probe?select=id`, { headers: { apikey: stack().anonKey, authorization: `Bearer ${token}` } });

  const expectJwtError = async (res: Response, message: string) => {
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="${message}"`);
    expect(await bodyOf(res)).toEqual({ code: 'PGRST301', message, details: null, hint: null });
  };

  it('refuses a token signed with another secret', async () => {
    const forged = signJwt({ role: 'service_role', exp: Math.floor(Date.now() / 1000) + 600 }, 'not-the-secret-not-the-secret-not-the-secret');
    await expectJwtError(await withBearer(forged), 'JWSError JWSInvalidSignature');
  });

  it('refuses an expired token, through supabase-js too', async () => {
    const expired = tokenFor({ sub: crypto.randomUUID() }, -120);
    await expectJwtError(await withBearer(expired), 'JWT expired');
    const { error, status } = await clientWithToken(expired).from('rest_profile_probe').select('id');
    expect(status).toBe(401);
    expect(error).toEqual({ code: 'PGRST301', message: 'JWT expired', details: null, hint: null });
  });

  it('accepts a token expired within the 30 seconds of allowed clock skew', async () => {
    const res = await withBearer(tokenFor({ sub: crypto.randomUUID() }, -5));
    expect(res.status).toBe(200);
  });

  it('refuses malformed tokens', async () => {
    await expectJwtError(await withBearer('not-a-jwt'), 'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)');
    await expectJwtError(await withBearer('a.b'), 'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 2)');
  });

  it('refuses a role that does not exist (400) or that the authenticator may not assume (403)', async () => {
    const ghost = await withBearer(tokenFor({ role: 'no_such_role' }));
    expect(ghost.status).toBe(400);
    expect(await bodyOf(ghost)).toEqual({ code: '22023', message: 'role "no_such_role" does not exist', details: null, hint: null });
    const superuser = await withBearer(tokenFor({ role: 'postgres' }));
    expect(superuser.status).toBe(403);
    expect(await bodyOf(superuser)).toMatchObject({ code: '42501', message: 'permission denied to set role "postgres"' });
  });

  it('uses anon for a valid token without a role claim', async () => {
    const token = signJwt({ exp: Math.floor(Date.now() / 1000) + 600 }, stack().jwtSecret);
    const res = await fetch(`${stack().apiUrl}/rest/v1/rpc/rest_whoami`, { method: 'POST', headers: { apikey: stack().anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(await bodyOf(res)).toBe('anon');
  });
});
