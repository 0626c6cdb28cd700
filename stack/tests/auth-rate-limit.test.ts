// GoTrue's per-IP rate limits. The shared test stack raises them (every test signs in from
// 127.0.0.1), so these tests run an Auth server of their own over the test database, behind a
// gateway, with a supabase/config.toml whose buckets never refill: the 31st request is refused
// however slow the machine is.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../auth/index.ts';
import { CLI_DEFAULT_RATE_LIMITS, parseRateLimits, resolveRateLimits, TokenBuckets } from '../auth/rate-limit.ts';
import { configFromEnv } from '../config.ts';
import { startGateway, type Gateway } from '../gateway.ts';
import { createMetrics } from '../metrics.ts';
import type { Service } from '../service.ts';
import { authErrorMessage } from '../../src/features/auth/utils/auth-error-message.ts';
import { stack } from './support.ts';

const OVER_LIMIT = { code: 429, error_code: 'over_request_rate_limit', msg: 'Request rate limit reached' };
const PASSWORD = 'the-right-password';
const jsOptions = { auth: { persistSession: false }, realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor } };

describe('rate limit configuration', () => {
  it("reads [auth.rate_limit] from the project's supabase/config.toml: the CLI's defaults", () => {
    expect(resolveRateLimits({ supabaseDir: path.resolve('supabase') })).toEqual(CLI_DEFAULT_RATE_LIMITS);
    expect(CLI_DEFAULT_RATE_LIMITS).toEqual({ email_sent: 2, sms_sent: 30, anonymous_users: 30, token_refresh: 150, sign_in_sign_ups: 30, token_verifications: 30, web3: 30 });
  });

  it('parses only the [auth.rate_limit] table, and refuses a bad number', () => {
    const toml = '[auth]\ntoken_refresh = 1\n\n[auth.rate_limit]\n# comment\ntoken_refresh = 300 # trailing\nsign_in_sign_ups = 5\n[auth.email]\nweb3 = 9\n';
    expect(parseRateLimits(toml, 'x.toml')).toEqual({ token_refresh: 300, sign_in_sign_ups: 5 });
    expect(() => parseRateLimits('[auth.rate_limit]\nweb3 = "many"\n', 'y.toml')).toThrow('y.toml:2: auth.rate_limit.web3 must be a non-negative number, got "many"');
  });

  it('buckets hold 30 and refill at the configured number per 5 minutes, per key', () => {
    const buckets = new TokenBuckets(30 / 300, 30);
    const t0 = 1_000_000;
    for (let i = 0; i < 30; i++) expect(buckets.take('a', t0)).toBe(true);
    expect(buckets.take('a', t0)).toBe(false);
    expect(buckets.take('b', t0)).toBe(true);
    expect(buckets.take('a', t0 + 9_000)).toBe(false);
    expect(buckets.take('a', t0 + 10_000)).toBe(true);
    expect(buckets.take('a', t0 + 10_000)).toBe(false);
  });
});

describe('rate limits over HTTP', () => {
  let dir: string;
  let admin: pg.Pool;
  let service: Service;
  let gateway: Gateway;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'auth-rate-limit-'));
    await fs.writeFile(path.join(dir, 'config.toml'), '[auth.rate_limit]\ntoken_refresh = 0\nsign_in_sign_ups = 0\nweb3 = 0\n');
    admin = new pg.Pool({ connectionString: stack().dbUrl, max: 4 });
    const config = configFromEnv(process.env, { apiPort: 0, supabaseDir: dir, databaseUrl: stack().dbUrl, jwtSecret: stack().jwtSecret, anonKey: stack().anonKey, serviceRoleKey: stack().serviceRoleKey });
    service = await createAuthService({ config, databaseUrl: stack().dbUrl, adminPool: admin, metrics: createMetrics(admin), log: () => {} });
    gateway = await startGateway({ config, services: { auth: service }, health: async () => ({ status: 'ok' }), log: () => {} });
  });

  afterAll(async () => {
    await gateway?.close();
    await service?.close();
    await admin?.end();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** A POST to the Auth server from `localAddress` (another loopback address is another client). */
  function post(pathAndQuery: string, body: unknown, opts: { from?: string; headers?: Record<string, string>; method?: string } = {}): Promise<{ status: number; body: unknown; headers: http.IncomingHttpHeaders }> {
    const url = new URL(`/auth/v1${pathAndQuery}`, gateway.url);
    return new Promise((resolve, reject) => {
      const req = http.request(url, {
        method: opts.method ?? 'POST',
        localAddress: opts.from ?? '127.0.0.1',
        headers: { apikey: stack().anonKey, 'content-type': 'application/json', ...opts.headers },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null'), headers: res.headers }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  it('sign-ins: 30 per address, then 429 over_request_rate_limit even with the right password; another address is not affected', { timeout: 90_000 }, async () => {
    const email = `limited-${randomUUID()}@example.test`;
    // Created through the shared stack, so this server's sign-up bucket stays full.
    const { error } = await createClient(stack().apiUrl, stack().anonKey, jsOptions).auth.signUp({ email, password: PASSWORD });
    expect(error).toBeNull();

    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await post('/token?grant_type=password', { email, password: `wrong-${i}` })).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(400));
    expect(statuses.slice(30)).toEqual(Array(20).fill(429));

    const right = await post('/token?grant_type=password', { email, password: PASSWORD });
    expect({ status: right.status, body: right.body, code: right.headers['x-sb-error-code'] }).toEqual({ status: 429, body: OVER_LIMIT, code: 'over_request_rate_limit' });
    const v2024 = await post('/token?grant_type=password', { email, password: PASSWORD }, { headers: { 'x-supabase-api-version': '2024-01-01' } });
    expect({ status: v2024.status, body: v2024.body }).toEqual({ status: 429, body: { code: 'over_request_rate_limit', message: 'Request rate limit reached' } });
    // The same bucket counts refreshes; a forged X-Forwarded-For does not make another client.
    expect((await post('/token?grant_type=refresh_token', { refresh_token: 'abcdefghijkl' })).status).toBe(429);
    expect((await post('/token?grant_type=password', { email, password: PASSWORD }, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(429);
    // An unknown grant type is refused before the limit, as GoTrue does.
    expect((await post('/token?grant_type=nope', {})).status).toBe(400);

    const elsewhere = await post('/token?grant_type=password', { email, password: PASSWORD }, { from: '127.0.0.2' });
    expect(elsewhere.status).toBe(200);

    // What the SPA's sign-in form shows for it (src/features/auth): supabase-js's error, mapped.
    const js = await createClient(gateway.url, stack().anonKey, jsOptions).auth.signInWithPassword({ email, password: PASSWORD });
    expect({ status: js.error?.status, code: js.error?.code }).toEqual({ status: 429, code: 'over_request_rate_limit' });
    expect(authErrorMessage(js.error)).toEqual({ message: 'Too many attempts. Wait a few minutes and try again.' });
  });

  it('sign-ups: 30 per address, then 429 (through supabase-js, which surfaces the code)', { timeout: 90_000 }, async () => {
    const from = '127.0.0.3';
    // An empty password is refused after the limit is counted, so these are cheap.
    for (let i = 0; i < 30; i++) {
      const res = await post('/signup', { email: `nope-${randomUUID()}@example.test`, password: '' }, { from });
      expect({ i, status: res.status }).toEqual({ i, status: 400 });
    }
    const res = await post('/signup', { email: `late-${randomUUID()}@example.test`, password: PASSWORD }, { from });
    expect({ status: res.status, body: res.body }).toEqual({ status: 429, body: OVER_LIMIT });

    // supabase-js from 127.0.0.1 (its own, still full bucket for sign-ups): 30 sign-ups pass, the 31st is refused.
    const client = createClient(gateway.url, stack().anonKey, jsOptions);
    for (let i = 0; i < 30; i++) expect((await client.auth.signUp({ email: `js-${randomUUID()}@example.test`, password: '' })).error?.status).toBe(400);
    const { error } = await client.auth.signUp({ email: `js-${randomUUID()}@example.test`, password: PASSWORD });
    expect({ status: error?.status, code: error?.code, message: error?.message }).toEqual({ status: 429, code: 'over_request_rate_limit', message: 'Request rate limit reached' });
    expect(authErrorMessage(error)).toEqual({ message: 'Too many attempts. Wait a few minutes and try again.' });
  });

  it('user updates (PUT /user): 30 per address, then 429', async () => {
    const { data, error } = await createClient(stack().apiUrl, stack().anonKey, jsOptions).auth.signUp({ email: `put-${randomUUID()}@example.test`, password: PASSWORD });
    expect(error).toBeNull();
    const headers = { authorization: `Bearer ${data.session!.access_token}` };
    for (let i = 0; i < 30; i++) {
      const res = await post('/user', { data: { n: i } }, { from: '127.0.0.4', method: 'PUT', headers });
      expect({ i, status: res.status }).toEqual({ i, status: 200 });
    }
    const res = await post('/user', { data: { n: 30 } }, { from: '127.0.0.4', method: 'PUT', headers });
    expect({ status: res.status, body: res.body }).toEqual({ status: 429, body: OVER_LIMIT });
  });
});
