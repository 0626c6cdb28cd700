// GoTrue's mail sending (internal/api/mail.go + templatemailer): a fresh OTP and its hash per mail,
// the hash (pkce_-prefixed in the PKCE flow) stored on the user and in auth.one_time_tokens, and
// the mail rendered from GoTrue's default templates or [auth.email.template.*] of config.toml.
import fs from 'node:fs';
import path from 'node:path';
import type { ApiRequest } from '../service.ts';
import type { EmailTemplateName } from './auth-config.ts';
import type { AuthDeps } from './context.ts';
import type { Queryable } from './db.ts';
import { AuthError } from './errors.ts';
import { generateOtp, PKCE_PREFIX, saveOneTimeToken, tokenHash } from './one-time-tokens.ts';
import { referrer } from './redirects.ts';
import type { User } from './users.ts';

export type FlowType = 'implicit' | 'pkce';

const DEFAULT_SUBJECTS: Record<EmailTemplateName, string> = {
  invite: "You've been invited",
  confirmation: 'Confirm your email address',
  recovery: 'Reset your password',
  magic_link: 'Your sign-in link',
  email_change: 'Confirm your new email address',
  reauthentication: '{{ .Token }} is your verification code',
};

const DEFAULT_BODIES: Record<EmailTemplateName, string> = {
  invite: `<h2>You've been invited</h2>
<p>You've been invited to create an account. Follow the link below to accept.</p>
<p><a href="{{ .ConfirmationURL }}">Accept invitation</a></p>`,
  confirmation: `<h2>Confirm your email address</h2>
<p>Follow the link below to confirm this email address and finish signing up.</p>
<p><a href="{{ .ConfirmationURL }}">Confirm email address</a></p>
`,
  recovery: `<h2>Reset your password</h2>
<p>We received a request to reset your password. Follow the link below to choose a new one.</p>
<p><a href="{{ .ConfirmationURL }}">Reset password</a></p>
<p>If you didn't request this, you can safely ignore this email.</p>`,
  magic_link: `<h2>Your sign-in link</h2>
<p>Follow the link below to sign in. This link expires shortly and can only be used once.</p>
<p><a href="{{ .ConfirmationURL }}">Sign in</a></p>`,
  email_change: `<h2>Confirm your new email address</h2>
<p>Follow the link below to confirm {{ .NewEmail }} as your new email address.</p>
<p><a href="{{ .ConfirmationURL }}">Confirm new email address</a></p>
<p>If you didn't request this change, you can safely ignore this email.</p>`,
  reauthentication: `<h2>Your verification code</h2>
<p>Use the code below to verify your identity. It expires shortly.</p>
<p>{{ .Token }}</p>`,
};

/** The action each template's mail is tagged with in the catcher (GoTrue's email action types). */
const ACTION: Record<EmailTemplateName, string> = {
  invite: 'invite',
  confirmation: 'signup',
  recovery: 'recovery',
  magic_link: 'magiclink',
  email_change: 'email_change',
  reauthentication: 'reauthentication',
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);

/** Go's text substitution for `{{ .Name }}` and `{{ .Data.key }}`, values HTML-escaped as html/template does. */
export function renderTemplate(template: string, data: Record<string, unknown>, escape = true): string {
  return template.replace(/\{\{-?\s*\.([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*-?\}\}/g, (_m, dotted: string) => {
    let value: unknown = data;
    for (const key of dotted.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    const text = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return escape ? escapeHtml(text) : text;
  });
}

function templateFor(deps: AuthDeps, name: EmailTemplateName): { subject: string; body: string } {
  const custom = deps.auth.email.templates[name];
  let body = DEFAULT_BODIES[name];
  if (custom?.contentPath) {
    // The CLI resolves content_path from the project folder (the parent of supabase/).
    const file = path.resolve(path.dirname(deps.config.supabaseDir), custom.contentPath);
    try {
      body = fs.readFileSync(file, 'utf8');
    } catch (err) {
      deps.log(`auth: email template ${name}: cannot read ${file} (${(err as Error).message}); using GoTrue's default`);
    }
  }
  return { subject: custom?.subject ?? DEFAULT_SUBJECTS[name], body };
}

/** GOTRUE_API_EXTERNAL_URL as the CLI sets it: the API URL + /auth/v1. */
export function externalUrl(deps: AuthDeps, req: ApiRequest): string {
  const origin = deps.config.apiPort ? `http://${deps.config.apiHost}:${deps.config.apiPort}` : req.url.origin;
  return `${origin}/auth/v1`;
}

/** templatemailer's encodeRedirectURL: escaped only when it holds &, = or #. */
const encodeRedirect = (url: string) => (/[&=#]/.test(url) ? encodeURIComponent(url).replaceAll('%20', '+') : url);

export function actionLink(deps: AuthDeps, req: ApiRequest, token: string, type: string, redirectTo: string): string {
  return `${externalUrl(deps, req)}/verify?token=${encodeURIComponent(token)}&type=${encodeURIComponent(type)}&redirect_to=${encodeRedirect(redirectTo)}`;
}

/**
 * GoTrue's sendEmail limits: with `email_sent = 0` every mail is refused; with confirmations on
 * (no autoconfirm) at most `email_sent` mails per hour leave the server, counted globally.
 */
export function checkEmailLimit(deps: AuthDeps): void {
  const allowed = deps.limiter.limits.email_sent;
  const refused = () => new AuthError(429, 'over_email_send_rate_limit', 'email rate limit exceeded');
  if (allowed === 0) throw refused();
  if (deps.auth.email.enableConfirmations && !deps.emailLimiter.take()) throw refused();
}

export function deliver(deps: AuthDeps, name: EmailTemplateName, to: string, data: Record<string, unknown>): void {
  const { subject, body } = templateFor(deps, name);
  const full = { SiteURL: deps.auth.siteUrl, ...data };
  deps.mail.deliver({ to, subject: renderTemplate(subject, full, false), html: renderTemplate(body, full), tag: ACTION[name] });
}

/** GoTrue's validateSentWithinFrequencyLimit ([auth.email] max_frequency). */
export function checkFrequency(deps: AuthDeps, sentAt: Date | null): void {
  const frequency = deps.auth.email.maxFrequencyMs;
  if (sentAt && sentAt.getTime() + frequency > Date.now()) {
    const left = Math.trunc((sentAt.getTime() + frequency - Date.now()) / 1000);
    throw new AuthError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${left} seconds.`);
  }
}

const withFlow = (hash: string, flow: FlowType) => (flow === 'pkce' ? PKCE_PREFIX + hash : hash);

interface SendContext {
  deps: AuthDeps;
  req: ApiRequest;
  tx: Queryable;
  user: User;
  /** Defaults to GoTrue's GetReferrer of the request. */
  redirectTo?: string;
}

const email = (user: User) => user.email ?? '';

/** sendConfirmation (signup) and sendInvite: confirmation_token. */
export async function sendConfirmation({ deps, req, tx, user, redirectTo }: SendContext, flow: FlowType, invite = false): Promise<void> {
  if (!invite) checkFrequency(deps, user.confirmation_sent_at);
  checkEmailLimit(deps);
  const otp = generateOtp(deps.auth.email.otpLength);
  const token = withFlow(tokenHash(email(user), otp), invite ? 'implicit' : flow);
  const rurl = redirectTo ?? referrer(req, deps.auth);
  const type = invite ? 'invite' : 'signup';
  deliver(deps, invite ? 'invite' : 'confirmation', email(user), {
    ConfirmationURL: actionLink(deps, req, token, type, rurl),
    Email: user.email,
    Token: otp,
    TokenHash: token,
    Data: user.raw_user_meta_data,
    RedirectTo: rurl,
  });
  await tx.query(
    `update auth.users set confirmation_token = $2, confirmation_sent_at = now()${invite ? ', invited_at = now()' : ''} where id = $1`,
    [user.id, token],
  );
  await saveOneTimeToken(tx, user.id, email(user), token, 'confirmation_token');
}

/** sendPasswordRecovery and sendMagicLink: recovery_token. */
export async function sendRecovery({ deps, req, tx, user, redirectTo }: SendContext, flow: FlowType, magicLink = false): Promise<void> {
  checkFrequency(deps, user.recovery_sent_at);
  checkEmailLimit(deps);
  const otp = generateOtp(deps.auth.email.otpLength);
  const token = withFlow(tokenHash(email(user), otp), flow);
  const rurl = redirectTo ?? referrer(req, deps.auth);
  deliver(deps, magicLink ? 'magic_link' : 'recovery', email(user), {
    ConfirmationURL: actionLink(deps, req, token, magicLink ? 'magiclink' : 'recovery', rurl),
    Email: user.email,
    Token: otp,
    TokenHash: token,
    Data: user.raw_user_meta_data,
    RedirectTo: rurl,
  });
  await tx.query('update auth.users set recovery_token = $2, recovery_sent_at = now() where id = $1', [user.id, token]);
  await saveOneTimeToken(tx, user.id, email(user), token, 'recovery_token');
}

/** sendReauthenticationOtp: a code only. */
export async function sendReauthentication({ deps, tx, user }: SendContext): Promise<void> {
  checkFrequency(deps, user.reauthentication_sent_at);
  checkEmailLimit(deps);
  const otp = generateOtp(deps.auth.email.otpLength);
  const token = tokenHash(email(user), otp);
  deliver(deps, 'reauthentication', email(user), { Email: user.email, Token: otp, Data: user.raw_user_meta_data });
  await tx.query('update auth.users set reauthentication_token = $2, reauthentication_sent_at = now() where id = $1', [user.id, token]);
  await saveOneTimeToken(tx, user.id, email(user), token, 'reauthentication_token');
}

/** sendEmailChange: a mail to the new address, and with double_confirm_changes one to the current address too. */
export async function sendEmailChange({ deps, req, tx, user, redirectTo }: SendContext, newEmail: string, flow: FlowType): Promise<void> {
  checkFrequency(deps, user.email_change_sent_at);
  checkEmailLimit(deps);
  const otpNew = generateOtp(deps.auth.email.otpLength);
  const tokenNew = withFlow(tokenHash(newEmail, otpNew), flow);
  let otpCurrent = '';
  let tokenCurrent = '';
  const secure = deps.auth.email.doubleConfirmChanges && email(user) !== '';
  if (secure) {
    otpCurrent = generateOtp(deps.auth.email.otpLength);
    tokenCurrent = withFlow(tokenHash(email(user), otpCurrent), flow);
  }
  const rurl = redirectTo ?? referrer(req, deps.auth);
  const mails = [{ to: newEmail, otp: otpNew, token: tokenNew }];
  if (secure) mails.push({ to: email(user), otp: otpCurrent, token: tokenCurrent });
  for (const mail of mails) {
    deliver(deps, 'email_change', mail.to, {
      ConfirmationURL: actionLink(deps, req, mail.token, 'email_change', rurl),
      Email: user.email,
      NewEmail: newEmail,
      Token: mail.otp,
      TokenHash: mail.token,
      SendingTo: mail.to,
      Data: user.raw_user_meta_data,
      RedirectTo: rurl,
    });
  }
  await tx.query(
    `update auth.users set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
       email_change_confirm_status = 0, email_change_sent_at = now() where id = $1`,
    [user.id, newEmail, tokenNew, tokenCurrent],
  );
  if (tokenCurrent) await saveOneTimeToken(tx, user.id, email(user), tokenCurrent, 'email_change_token_current');
  await saveOneTimeToken(tx, user.id, newEmail, tokenNew, 'email_change_token_new');
}
