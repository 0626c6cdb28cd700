// GoTrue's /verify (internal/api/verify.go): email links (GET, redirecting) and tokens or codes (POST).
import { randomBytes } from 'node:crypto';
import type { ApiRequest, ApiResponse } from '../service.ts';
import { requestAud } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, tokenContext, type AuthDeps, type Handler } from './context.ts';
import { inTransaction, type Queryable } from './db.ts';
import { AuthError, badRequest, forbidden, unprocessable } from './errors.ts';
import { issueAuthCode } from './flow-state.ts';
import { findUserIdByToken, PKCE_PREFIX, tokenHash, type OneTimeTokenType } from './one-time-tokens.ts';
import { hashPassword } from './passwords.ts';
import { referrer } from './redirects.ts';
import { issueSession } from './tokens.ts';
import { findUserByEmail, findUserById, identityClaims, insertIdentity, mergeMetadata, refreshProviders, updateIdentityData, type User } from './users.ts';
import { validateEmail, validatePhone } from './validate.ts';

export const SINGLE_CONFIRMATION = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';

interface Tokens {
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  email_change_token_new: string | null;
  email_change_token_current: string | null;
  email_change_sent_at: Date | null;
  email_change: string | null;
  email_change_confirm_status: number | null;
  encrypted_password: string | null;
}

async function tokensOf(db: Queryable, userId: string): Promise<Tokens> {
  const { rows } = await db.query<Tokens>(
    `select confirmation_token, confirmation_sent_at, recovery_token, recovery_sent_at, email_change_token_new,
            email_change_token_current, email_change_sent_at, email_change, email_change_confirm_status, encrypted_password
       from auth.users where id = $1`,
    [userId],
  );
  return rows[0] as Tokens;
}

const TYPES_BY_VERIFY: Record<string, OneTimeTokenType[]> = {
  email: ['confirmation_token', 'recovery_token'],
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email_change: ['email_change_token_new', 'email_change_token_current'],
};

const linkInvalid = () => forbidden('otp_expired', 'Email link is invalid or has expired');
const tokenInvalid = () => forbidden('otp_expired', 'Token has expired or is invalid');

const isExpired = (sentAt: Date | null, expirySeconds: number) => !sentAt || Date.now() > sentAt.getTime() + expirySeconds * 1000;

const isOtpValid = (actual: string, expected: string | null, sentAt: Date | null, expirySeconds: number) =>
  !!expected && !!sentAt && !isExpired(sentAt, expirySeconds) && (actual === expected || PKCE_PREFIX + actual === expected);

interface Params {
  type: string;
  token: string;
  tokenHash: string;
  email: string;
}

/** verifyTokenHash: the user whose pending token is this hash, if not expired. `type: email` resolves to signup or magiclink. */
async function userByTokenHash(deps: AuthDeps, tx: Queryable, params: Params): Promise<User> {
  const types = TYPES_BY_VERIFY[params.type];
  if (!types) throw badRequest('validation_failed', 'Invalid email verification type');
  const id = await findUserIdByToken(tx, params.tokenHash, types);
  const user = id ? await findUserById(tx, id, true) : undefined;
  if (!user) throw linkInvalid();
  if (user.banned_until && user.banned_until > new Date()) throw forbidden('user_banned', 'User is banned');
  const t = await tokensOf(tx, user.id);
  let sentAt: Date | null;
  switch (params.type) {
    case 'email':
      sentAt = t.confirmation_sent_at;
      params.type = 'signup';
      if (t.recovery_token === params.tokenHash) {
        sentAt = t.recovery_sent_at;
        params.type = 'magiclink';
      }
      break;
    case 'signup':
    case 'invite':
      sentAt = t.confirmation_sent_at;
      break;
    case 'recovery':
    case 'magiclink':
      sentAt = t.recovery_sent_at;
      break;
    default:
      sentAt = t.email_change_sent_at;
  }
  if (isExpired(sentAt, deps.auth.email.otpExpirySeconds)) throw linkInvalid();
  return user;
}

/** verifyUserAndToken: email + code. */
async function userByEmailAndCode(deps: AuthDeps, tx: Queryable, params: Params, aud: string): Promise<User> {
  const expiry = deps.auth.email.otpExpirySeconds;
  let user: User | undefined;
  if (params.type === 'email_change') {
    const { rows } = await tx.query<{ id: string }>(
      `select id from auth.users where aud = $1 and is_sso_user = false and (lower(email) = lower($2) or lower(email_change) = lower($2))
         and (email_change_token_new in ($3, $4) or email_change_token_current in ($3, $4)) limit 1`,
      [aud, params.email, params.tokenHash, PKCE_PREFIX + params.tokenHash],
    );
    user = rows[0] ? await findUserById(tx, rows[0].id, true) : undefined;
  } else {
    const found = await findUserByEmail(tx, params.email, aud);
    user = found ? await findUserById(tx, found.id, true) : undefined;
  }
  if (!user) throw tokenInvalid();
  if (user.banned_until && user.banned_until > new Date()) throw forbidden('user_banned', 'User is banned');
  const t = await tokensOf(tx, user.id);
  let valid: boolean;
  switch (params.type) {
    case 'email':
      if (isOtpValid(params.tokenHash, t.confirmation_token, t.confirmation_sent_at, expiry)) {
        valid = true;
        params.type = 'signup';
      } else if (isOtpValid(params.tokenHash, t.recovery_token, t.recovery_sent_at, expiry)) {
        valid = true;
        params.type = 'magiclink';
      } else valid = false;
      break;
    case 'signup':
    case 'invite':
      valid = isOtpValid(params.tokenHash, t.confirmation_token, t.confirmation_sent_at, expiry);
      break;
    case 'recovery':
    case 'magiclink':
      valid = isOtpValid(params.tokenHash, t.recovery_token, t.recovery_sent_at, expiry);
      break;
    case 'email_change':
      valid = isOtpValid(params.tokenHash, t.email_change_token_current, t.email_change_sent_at, expiry) || isOtpValid(params.tokenHash, t.email_change_token_new, t.email_change_sent_at, expiry);
      break;
    default:
      throw badRequest('validation_failed', 'Unsupported verification type');
  }
  if (!valid) throw tokenInvalid();
  return user;
}

/** GoTrue's User.Confirm (+ the identity's email_verified). */
export async function confirmUser(tx: Queryable, user: User): Promise<void> {
  await tx.query(`update auth.users set confirmation_token = '', email_confirmed_at = now(), updated_at = now() where id = $1`, [user.id]);
  await mergeMetadata(tx, user.id, 'raw_user_meta_data', { email_verified: true });
  await tx.query('delete from auth.one_time_tokens where user_id = $1', [user.id]);
  if (user.email) {
    await tx.query(
      `update auth.identities set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
        where user_id = $1 and email = lower($2)`,
      [user.id, user.email],
    );
  }
}

async function signupVerify(tx: Queryable, user: User): Promise<void> {
  const t = await tokensOf(tx, user.id);
  // An invited user without a password gets a random one; the app then asks for a real one.
  if (!t.encrypted_password && user.invited_at) {
    await tx.query('update auth.users set encrypted_password = $2 where id = $1', [user.id, await hashPassword(randomBytes(48).toString('base64url'))]);
  }
  await confirmUser(tx, user);
}

async function recoverVerify(tx: Queryable, user: User): Promise<void> {
  await tx.query(`update auth.users set recovery_token = '', updated_at = now() where id = $1`, [user.id]);
  await tx.query('delete from auth.one_time_tokens where user_id = $1', [user.id]);
  if (!user.email_confirmed_at && !user.phone_confirmed_at) await confirmUser(tx, user);
}

/** Returns false when only the first of two confirmations (double_confirm_changes) was given. */
async function emailChangeVerify(deps: AuthDeps, tx: Queryable, user: User, params: Params): Promise<boolean> {
  const t = await tokensOf(tx, user.id);
  if (deps.auth.email.enableConfirmations && deps.auth.email.doubleConfirmChanges && (t.email_change_confirm_status ?? 0) === 0 && user.email) {
    const matches = (stored: string | null) => !!stored && (params.token === stored || params.tokenHash === stored || PKCE_PREFIX + params.tokenHash === stored);
    let column: 'email_change_token_current' | 'email_change_token_new' | undefined;
    if (matches(t.email_change_token_current)) column = 'email_change_token_current';
    else if (matches(t.email_change_token_new)) column = 'email_change_token_new';
    await tx.query(`update auth.users set email_change_confirm_status = 1${column ? `, ${column} = ''` : ''} where id = $1`, [user.id]);
    if (column) await tx.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [user.id, column]);
    return false;
  }
  const newEmail = t.email_change ?? '';
  const updated = await updateIdentityData(tx, user.id, 'email', { email: newEmail, email_verified: true });
  if (!updated) await insertIdentity(tx, user.id, 'email', identityClaims(user.id, { email: newEmail, emailVerified: true }));
  await tx.query(
    `update auth.users set email = $2, email_change = '', email_change_token_current = '', email_change_token_new = '',
       email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()), is_anonymous = false, updated_at = now()
     where id = $1`,
    [user.id, newEmail],
  );
  await tx.query('delete from auth.one_time_tokens where user_id = $1', [user.id]);
  return true;
}

/** The authentication method a PKCE verification's flow state was made for (ParseAuthenticationMethod). */
const AUTH_METHOD: Record<string, string> = { signup: 'email/signup', invite: 'invite', recovery: 'recovery', magiclink: 'magiclink', email_change: 'email_change' };

type Outcome = { kind: 'session'; user: User } | { kind: 'single' };

async function runVerification(deps: AuthDeps, tx: Queryable, params: Params, byHash: boolean, aud: string): Promise<Outcome> {
  const user = byHash ? await userByTokenHash(deps, tx, params) : await userByEmailAndCode(deps, tx, params, aud);
  switch (params.type) {
    case 'signup':
    case 'invite':
      await signupVerify(tx, user);
      break;
    case 'recovery':
    case 'magiclink':
      await recoverVerify(tx, user);
      break;
    case 'email_change':
      if (!(await emailChangeVerify(deps, tx, user, params))) return { kind: 'single' };
      break;
    default:
      throw badRequest('validation_failed', 'Unsupported verification type');
  }
  await refreshProviders(tx, user.id);
  return { kind: 'session', user: (await findUserById(tx, user.id)) as User };
}

/** Go's url.Values.Encode: keys sorted, query-escaped. */
function encodeValues(values: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(values).sort()) params.append(key, values[key]!);
  return params.toString();
}

const OAUTH_ERROR: Record<number, string> = { 400: 'invalid_request', 401: 'unauthorized_client', 403: 'access_denied', 500: 'server_error', 503: 'temporarily_unavailable' };

/** prepErrorRedirectURL: the error in the fragment (and in the query for PKCE). */
function errorRedirect(rurl: string, err: AuthError, pkce: boolean): string {
  const url = new URL(rurl);
  const values: Record<string, string> = { error_code: err.code, error_description: err.message };
  const error = OAUTH_ERROR[err.status];
  if (error) values.error = error;
  if (pkce) for (const [k, v] of Object.entries(values)) url.searchParams.set(k, v);
  url.hash = encodeValues({ ...values, sb: '' });
  return url.toString();
}

const redirect = (location: string): ApiResponse => ({ status: 303, headers: { location, 'content-type': 'text/html; charset=utf-8' }, body: `<a href="${location.replaceAll('&', '&amp;').replaceAll('"', '&#34;')}">See Other</a>.\n\n` });

async function verifyGet(deps: AuthDeps, req: ApiRequest): Promise<ApiResponse> {
  const q = req.url.searchParams;
  const params: Params = { type: q.get('type') ?? '', token: q.get('token') ?? '', tokenHash: '', email: '' };
  const rurl = referrer(req, deps.auth);
  if (params.type === '') throw badRequest('validation_failed', 'Verify requires a verification type');
  if (params.token === '') throw badRequest('validation_failed', 'Verify requires a token or a token hash');
  params.tokenHash = params.token;
  const pkce = params.token.startsWith(PKCE_PREFIX);
  if (pkce && !AUTH_METHOD[params.type]) throw new AuthError(500, 'unexpected_failure', `unsupported authentication method "${params.type}"`);
  try {
    const result = await inTransaction(deps.pool, async (tx) => {
      const outcome = await runVerification(deps, tx, params, true, requestAud(req));
      if (outcome.kind === 'single') return { location: singleRedirect(rurl, pkce) };
      if (pkce) {
        const url = new URL(rurl);
        url.searchParams.set('code', await issueAuthCode(tx, outcome.user.id, AUTH_METHOD[params.type]!));
        return { location: url.toString() };
      }
      const session = (await issueSession(tx, tokenContext(deps, req), outcome.user, 'otp')) as Record<string, string | number>;
      const fragment = encodeValues({
        access_token: String(session.access_token),
        expires_at: String(session.expires_at),
        expires_in: String(session.expires_in),
        refresh_token: String(session.refresh_token),
        token_type: 'bearer',
        type: params.type,
      });
      return { location: `${rurl}#${fragment}` };
    });
    return redirect(result.location);
  } catch (err) {
    if (err instanceof AuthError && err.status < 500) return redirect(errorRedirect(rurl, err, pkce));
    throw err;
  }
}

/** prepRedirectURL for the first of two email-change confirmations. */
function singleRedirect(rurl: string, pkce: boolean): string {
  const url = new URL(rurl);
  if (pkce) url.searchParams.set('message', SINGLE_CONFIRMATION);
  url.hash = encodeValues({ message: SINGLE_CONFIRMATION, sb: '' });
  return url.toString();
}

async function verifyPost(deps: AuthDeps, req: ApiRequest): Promise<ApiResponse> {
  const body = decodeBody(req.body, 'VerifyParams', { type: 'string', token: 'string', token_hash: 'string', email: 'string', phone: 'string', redirect_to: 'string' });
  const params: Params = { type: body.type ?? '', token: body.token ?? '', tokenHash: body.token_hash ?? '', email: body.email ?? '' };
  const phone = body.phone ?? '';
  if (params.type === '') throw badRequest('validation_failed', 'Verify requires a verification type');
  if ((params.token === '') === (params.tokenHash === '')) throw badRequest('validation_failed', 'Verify requires either a token or a token hash');
  if (params.token !== '') {
    if (phone !== '' && params.email === '') {
      // No phone user can hold an SMS code on this stack (no SMS provider).
      validatePhone(phone);
      throw tokenInvalid();
    }
    if (!(phone === '' && params.email !== '')) throw badRequest('validation_failed', 'Only an email address or phone number should be provided on verify');
    try {
      params.email = validateEmail(params.email);
    } catch {
      throw unprocessable('validation_failed', 'Invalid email format');
    }
    params.tokenHash = tokenHash(params.email, params.token);
  } else if (params.email !== '' || phone !== '' || (body.redirect_to ?? '') !== '') {
    throw badRequest('validation_failed', 'Only the token_hash and type should be provided');
  }
  const byHash = params.token === '';
  const result = await inTransaction(deps.pool, async (tx) => {
    const outcome = await runVerification(deps, tx, params, byHash, requestAud(req));
    if (outcome.kind === 'single') return undefined;
    return issueSession(tx, tokenContext(deps, req), outcome.user, 'otp');
  });
  return result ? json(200, result) : json(200, { msg: SINGLE_CONFIRMATION, code: '200' });
}

/** GET and POST /verify (limited per address by `token_verifications`). */
export const verify: Handler = async (deps, req) => {
  deps.limiter.check('verify', req);
  return req.method === 'POST' ? verifyPost(deps, req) : verifyGet(deps, req);
};
