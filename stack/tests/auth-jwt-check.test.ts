import { describe, expect, it } from 'vitest';
import { signJwt, type JwtClaims } from '../jwt.ts';
import { RawSocket } from './realtime-helpers.ts';
import { stack } from './support.ts';

// One JWT check (stack/jwt.ts) for REST, Auth and Realtime: a token issued in the future (beyond
// 30 s of clock skew) is refused by all three, each in its own error shape.

const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: JwtClaims) => signJwt({ iss: 'supabase-demo', ...claims }, stack().jwtSecret);
const serviceToken = (iatOffset: number) => sign({ role: 'service_role', iat: now() + iatOffset, exp: now() + iatOffset + 3600 });

const get = (path: string, token: string) =>
  fetch(`${stack().apiUrl}${path}`, { headers: { apikey: stack().anonKey, authorization: `Bearer ${token}` } });

async function realtimeJoin(token: string): Promise<{ status: string; response: Record<string, unknown> }> {
  const socket = await RawSocket.open();
  try {
    const topic = `realtime:jwt-check-${Math.random().toString(36).slice(2)}`;
    socket.send(['1', '1', topic, 'phx_join', { config: {}, access_token: token }]);
    const reply = (await socket.reply('1')) as [string, string, string, string, { status: string; response: Record<string, unknown> }];
    return reply[4];
  } finally {
    socket.close();
  }
}

describe('one JWT check for every service', () => {
  it('refuses a service_role token issued an hour in the future: REST, Auth admin, Realtime join', async () => {
    const token = serviceToken(3600);

    const rest = await get('/rest/v1/product_availability?select=product_id&limit=1', token);
    expect({ status: rest.status, body: await rest.json() }).toEqual({
      status: 401, body: { code: 'PGRST301', message: 'JWTIssuedAtFuture', details: null, hint: null },
    });

    const admin = await get('/auth/v1/admin/users', token);
    expect({ status: admin.status, body: await admin.json() }).toEqual({
      status: 403,
      body: { code: 403, error_code: 'bad_jwt', msg: 'invalid JWT: unable to parse or verify signature, token has invalid claims: token used before issued' },
    });

    const join = await realtimeJoin(token);
    expect(join).toEqual({ status: 'error', response: { reason: `InvalidJWTToken: Invalid value for JWT claim "iat" with value ${JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).iat}` } });
  });

  it("refuses a user's token issued in the future at Auth's user endpoint too", async () => {
    const email = `jwt-check-${crypto.randomUUID()}@example.test`;
    const signup = await fetch(`${stack().apiUrl}/auth/v1/signup`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'a-good-password' }),
    });
    const { access_token: token, user } = (await signup.json()) as { access_token: string; user: { id: string } };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as JwtClaims;
    const future = sign({ ...claims, iat: now() + 3600, exp: now() + 7200 });
    const res = await get('/auth/v1/user', future);
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 403,
      body: { code: 403, error_code: 'bad_jwt', msg: 'invalid JWT: unable to parse or verify signature, token has invalid claims: token used before issued' },
    });
    const fresh = await get('/auth/v1/user', token);
    expect({ status: fresh.status, id: ((await fresh.json()) as { id: string }).id }).toEqual({ status: 200, id: user.id });
  });

  it('accepts a token issued within the 30 s of clock skew, everywhere', async () => {
    const token = serviceToken(10);
    expect((await get('/rest/v1/product_availability?select=product_id&limit=1', token)).status).toBe(200);
    expect((await get('/auth/v1/admin/users?per_page=1', token)).status).toBe(200);
    expect((await realtimeJoin(token)).status).toBe('ok');
  });
});
