// Flows that depend on supabase/config.toml: an Auth server of its own over the test database with
// confirmations, anonymous sign-ins and secure password change on, and a magic-link template with the code.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../auth/index.ts';
import { configFromEnv } from '../config.ts';
import { startGateway, type Gateway } from '../gateway.ts';
import { latestMailTo } from '../mail/client.ts';
import { startMailServer, type MailServer } from '../mail/server.ts';
import { MailStore } from '../mail/store.ts';
import { createMetrics } from '../metrics.ts';
import type { Service } from '../service.ts';
import { PASSWORD, uniqueEmail } from './auth-support.ts';
import { stack } from './support.ts';

const CONFIG = `[auth]
site_url = "http://127.0.0.1:5173"
enable_anonymous_sign_ins = true

[auth.email]
enable_confirmations = true
double_confirm_changes = true
secure_password_change = true
max_frequency = "0s"

[auth.email.template.magic_link]
subject = "Your code"
content_path = "./templates/magic.html"

[auth.rate_limit]
email_sent = 1000
token_verifications = 1000
sign_in_sign_ups = 1000
token_refresh = 1000
anonymous_users = 1000
`;

let dir: string;
let admin: pg.Pool;
let service: Service;
let gateway: Gateway;
let mailServer: MailServer;
let mailUrl: string;

const client = (): SupabaseClient =>
  createClient(gateway.url, stack().anonKey, { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false }, realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor } });
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'auth-otp-'));
  await fs.mkdir(path.join(dir, 'supabase'));
  await fs.mkdir(path.join(dir, 'templates'));
  await fs.writeFile(path.join(dir, 'supabase', 'config.toml'), CONFIG);
  await fs.writeFile(path.join(dir, 'templates', 'magic.html'), '<p>Code: {{ .Token }}</p><p><a href="{{ .ConfirmationURL }}">Sign in</a></p>');
  admin = new pg.Pool({ connectionString: stack().dbUrl, max: 4 });
  const mail = new MailStore();
  mailServer = await startMailServer(mail, 0);
  mailUrl = mailServer.url;
  const config = configFromEnv(process.env, { apiPort: 0, supabaseDir: path.join(dir, 'supabase'), databaseUrl: stack().dbUrl, jwtSecret: stack().jwtSecret, anonKey: stack().anonKey, serviceRoleKey: stack().serviceRoleKey });
  service = await createAuthService({ config, databaseUrl: stack().dbUrl, adminPool: admin, metrics: createMetrics(admin), mail, log: () => {} });
  gateway = await startGateway({ config, services: { auth: service }, health: async () => ({ status: 'ok' }), log: () => {} });
});

afterAll(async () => {
  await gateway?.close();
  await service?.close();
  await mailServer?.close();
  await admin?.end();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('with [auth.email] enable_confirmations', () => {
  it('signUp answers the user without a session and mails a confirmation; the link confirms and signs in; resend mails again', async () => {
    const email = uniqueEmail('confirm');
    const c = client();
    const { data, error } = await c.auth.signUp({ email, password: PASSWORD });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user).toMatchObject({ email, confirmation_sent_at: expect.any(String) });
    const blocked = await c.auth.signInWithPassword({ email, password: PASSWORD });
    expect(blocked.error?.code).toBe('email_not_confirmed');
    const first = await latestMailTo(mailUrl, email);
    expect(first.subject).toBe('Confirm your email address');
    expect((await c.auth.resend({ type: 'signup', email })).error).toBeNull();
    const second = await latestMailTo(mailUrl, email, { after: first.created });
    expect(second.links[0]).not.toBe(first.links[0]);
    // The first link was replaced by the second.
    const stale = await fetch(first.links[0]!, { redirect: 'manual' });
    expect(new URLSearchParams(new URL(stale.headers.get('location')!).hash.slice(1)).get('error_code')).toBe('otp_expired');
    const res = await fetch(second.links[0]!, { redirect: 'manual' });
    const fragment = new URLSearchParams(new URL(res.headers.get('location')!).hash.slice(1));
    expect(fragment.get('type')).toBe('signup');
    expect((await c.auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
    // A confirmed address signing up again gets an obfuscated user, no error (no enumeration).
    const again = await client().auth.signUp({ email, password: PASSWORD });
    expect(again.error).toBeNull();
    expect(again.data.user?.id).not.toBe(data.user?.id);
  });

  it('signInWithOtp mails the code (custom template); verifyOtp with email+code signs in; a wrong code is otp_expired; create_user false refuses new addresses', async () => {
    const email = uniqueEmail('otp');
    // A new address: the confirmation mail is the magic link.
    expect((await client().auth.signInWithOtp({ email })).error).toBeNull();
    const confirm = await latestMailTo(mailUrl, email);
    expect(confirm.subject).toBe('Confirm your email address');
    await fetch(confirm.links[0]!, { redirect: 'manual' });
    // A confirmed address: a magic link with its code.
    expect((await client().auth.signInWithOtp({ email })).error).toBeNull();
    const mail = await latestMailTo(mailUrl, email, { subject: 'Your code' });
    const code = /Code: (\d{6})/.exec(mail.text)![1]!;
    const wrong = await client().auth.verifyOtp({ email, token: code === '000000' ? '111111' : '000000', type: 'email' });
    expect({ status: wrong.error?.status, code: wrong.error?.code }).toEqual({ status: 403, code: 'otp_expired' });
    const { data, error } = await client().auth.verifyOtp({ email, token: code, type: 'email' });
    expect(error).toBeNull();
    expect(claims(data.session!.access_token).amr).toEqual([expect.objectContaining({ method: 'otp' })]);
    const reused = await client().auth.verifyOtp({ email, token: code, type: 'email' });
    expect(reused.error?.code).toBe('otp_expired');
    const refused = await client().auth.signInWithOtp({ email: uniqueEmail('nobody'), options: { shouldCreateUser: false } });
    expect({ status: refused.error?.status, code: refused.error?.code }).toEqual({ status: 422, code: 'otp_disabled' });
  });

  it('email change mails both addresses; the first link is accepted alone, the second completes the change', async () => {
    const email = uniqueEmail('change');
    await client().auth.signUp({ email, password: PASSWORD });
    await fetch((await latestMailTo(mailUrl, email)).links[0]!, { redirect: 'manual' });
    const c = client();
    await c.auth.signInWithPassword({ email, password: PASSWORD });
    const newEmail = uniqueEmail('changed');
    const { data, error } = await c.auth.updateUser({ email: newEmail });
    expect(error).toBeNull();
    expect(data.user?.new_email).toBe(newEmail);
    const toNew = await latestMailTo(mailUrl, newEmail);
    const toOld = await latestMailTo(mailUrl, email, { subject: 'Confirm your new email address' });
    const firstRes = await fetch(toOld.links[0]!, { redirect: 'manual' });
    expect(new URLSearchParams(new URL(firstRes.headers.get('location')!).hash.slice(1)).get('message')).toBe('Confirmation link accepted. Please proceed to confirm link sent to the other email');
    const secondRes = await fetch(toNew.links[0]!, { redirect: 'manual' });
    expect(new URLSearchParams(new URL(secondRes.headers.get('location')!).hash.slice(1)).get('type')).toBe('email_change');
    expect((await client().auth.signInWithPassword({ email: newEmail, password: PASSWORD })).error).toBeNull();
  });

  it('secure_password_change: an old session needs the reauthentication code as nonce; a wrong nonce is reauthentication_not_valid', async () => {
    const email = uniqueEmail('reauth');
    await client().auth.signUp({ email, password: PASSWORD });
    await fetch((await latestMailTo(mailUrl, email)).links[0]!, { redirect: 'manual' });
    const c = client();
    const { data } = await c.auth.signInWithPassword({ email, password: PASSWORD });
    await admin.query(`update auth.sessions set created_at = now() - interval '25 hours' where id = $1`, [claims(data.session!.access_token).session_id]);
    const needed = await c.auth.updateUser({ password: 'new-password-2' });
    expect({ status: needed.error?.status, code: needed.error?.code }).toEqual({ status: 400, code: 'reauthentication_needed' });
    expect((await c.auth.reauthenticate()).error).toBeNull();
    const mail = await latestMailTo(mailUrl, email, { subject: 'is your verification code' });
    const nonce = /^(\d{6}) is your verification code$/.exec(mail.subject)![1]!;
    const wrong = await c.auth.updateUser({ password: 'new-password-2', nonce: nonce === '000000' ? '111111' : '000000' });
    expect({ status: wrong.error?.status, code: wrong.error?.code }).toEqual({ status: 422, code: 'reauthentication_not_valid' });
    expect((await c.auth.updateUser({ password: 'new-password-2', nonce })).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: 'new-password-2' })).error).toBeNull();
  });

  it('anonymous sign-in: a session with is_anonymous and amr anonymous; factors are refused', async () => {
    const c = client();
    const { data, error } = await c.auth.signInAnonymously();
    expect(error).toBeNull();
    expect(data.user?.is_anonymous).toBe(true);
    expect(claims(data.session!.access_token)).toMatchObject({ is_anonymous: true, aal: 'aal1', amr: [{ method: 'anonymous' }] });
    const enroll = await c.auth.mfa.enroll({ factorType: 'totp' });
    expect({ status: enroll.error?.status, code: enroll.error?.code }).toEqual({ status: 403, code: 'no_authorization' });
  });
});
