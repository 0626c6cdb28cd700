import { requestAud } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, tokenContext, type Handler } from './context.ts';
import { inTransaction } from './db.ts';
import { AuthError, badRequest, notFound, unprocessable } from './errors.ts';
import { checkPasswordStrength, verifyPassword } from './passwords.ts';
import { refreshTokenGrant } from './refresh.ts';
import { AUTH_SETTINGS } from './settings.ts';
import { issueSession, LEGACY_REFRESH_TOKEN } from './tokens.ts';
import { findUserByEmail, findUserById, isBanned } from './users.ts';
import { consumeFlowState } from './flow-state.ts';

const invalidLogin = () => badRequest('invalid_credentials', 'Invalid login credentials');

/** GoTrue's ResourceOwnerPasswordGrant (email + password). */
const passwordGrant: Handler = async (deps, req) => {
  const params = decodeBody(req.body, 'PasswordGrantParams', { email: 'string', phone: 'string', password: 'string' });
  const email = params.email ?? '';
  const phone = params.phone ?? '';
  const password = params.password ?? '';
  if (email !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on login.');
  }
  if (email === '') {
    if (phone === '') throw badRequest('validation_failed', 'missing email or phone');
    if (!AUTH_SETTINGS.phoneEnabled) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  }
  const user = await findUserByEmail(deps.pool, email, requestAud(req));
  if (!user?.encrypted_password) throw invalidLogin();
  if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
  const valid = Buffer.byteLength(password) <= 72 && (await verifyPassword(password, user.encrypted_password));
  if (!valid) throw invalidLogin();
  let weakPassword: { message: string; reasons: string[] } | undefined;
  try {
    checkPasswordStrength(password);
  } catch (err) {
    if (err instanceof AuthError && err.weakPasswordReasons) weakPassword = { message: err.message, reasons: err.weakPasswordReasons };
  }
  if (!user.email_confirmed_at) throw badRequest('email_not_confirmed', 'Email not confirmed');
  const session = await inTransaction(deps.pool, (tx) => issueSession(tx, tokenContext(deps, req), user));
  return json(200, weakPassword ? { ...session, weak_password: weakPassword } : session);
};

const refreshGrant: Handler = async (deps, req) => {
  const params = decodeBody(req.body, 'RefreshTokenGrantParams', { refresh_token: 'string' });
  const refreshToken = params.refresh_token ?? '';
  // Only GoTrue's legacy 12-character tokens are issued here; anything else is not a valid token.
  if (!LEGACY_REFRESH_TOKEN.test(refreshToken)) throw badRequest('validation_failed', 'Refresh token is not valid');
  return json(200, await refreshTokenGrant(deps.pool, tokenContext(deps, req), refreshToken));
};

/** PKCE: an auth code from a /verify link (recovery, magic link, signup, invite, email change) and its verifier. */
const pkceGrant: Handler = async (deps, req) => {
  const params = decodeBody(req.body, 'PKCEGrantParams', { auth_code: 'string', code_verifier: 'string' });
  if (!params.auth_code || !params.code_verifier) {
    throw badRequest('validation_failed', 'invalid request: both auth code and code verifier should be non-empty');
  }
  const session = await inTransaction(deps.pool, async (tx) => {
    const flow = await consumeFlowState(tx, params.auth_code!, params.code_verifier!);
    const user = await findUserById(tx, flow.user_id!);
    if (!user) throw notFound('user_not_found', 'User not found');
    // ParseAuthenticationMethod maps any "...signup" to email/signup.
    const method = flow.authentication_method.endsWith('signup') ? 'email/signup' : flow.authentication_method;
    return issueSession(tx, tokenContext(deps, req), user, method);
  });
  return json(200, session);
};

const GRANT_LIMITS: Record<string, 'token' | 'web3'> = { password: 'token', refresh_token: 'token', id_token: 'token', pkce: 'token', web3: 'web3' };

/** POST /token?grant_type=... (a known grant type counts against its rate limit first, as GoTrue). */
export const token: Handler = async (deps, req, params) => {
  const grantType = req.url.searchParams.get('grant_type') ?? '';
  if (Object.hasOwn(GRANT_LIMITS, grantType)) deps.limiter.check(GRANT_LIMITS[grantType]!, req);
  switch (grantType) {
    case 'password':
      return passwordGrant(deps, req, params);
    case 'refresh_token':
      return refreshGrant(deps, req, params);
    case 'pkce':
      return pkceGrant(deps, req, params);
    case 'id_token':
      throw badRequest('provider_disabled', 'Sign-in with this provider is not enabled on the local stack');
    case 'web3':
      // GoTrue's Web3Grant with neither Solana nor Ethereum enabled (the CLI's default).
      throw unprocessable('web3_provider_disabled', 'Web3 provider is disabled');
    default:
      throw badRequest('invalid_credentials', 'unsupported_grant_type');
  }
};
