import { requestAud, requireAuthentication } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, type AuthDeps, type Handler } from './context.ts';
import { sendEmailChange } from './emails.ts';
import { createFlowState, flowFromChallenge, validatePkceParams } from './flow-state.ts';
import { tokenHash } from './one-time-tokens.ts';
import { sessionAal } from './tokens.ts';
import { inTransaction, type Queryable } from './db.ts';
import { AuthError, badRequest, forbidden, unprocessable } from './errors.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from './passwords.ts';
import { AUTH_SETTINGS } from './settings.ts';
import {
  findDuplicateEmailOwner,
  findUserById,
  findUserByPhone,
  identityClaims,
  insertIdentity,
  mergeMetadata,
  refreshProviders,
  updateIdentityData,
  userJson,
  type User,
} from './users.ts';
import { validateEmail, validatePhone } from './validate.ts';

const USER_UPDATE_PARAMS = {
  email: 'string',
  password: 'string',
  current_password: 'string',
  nonce: 'string',
  data: 'object',
  app_metadata: 'object',
  phone: 'string',
  channel: 'string',
  code_challenge: 'string',
  code_challenge_method: 'string',
} as const;

/** GET /user */
export const getUser: Handler = async (deps, req) => {
  const { claims, user } = await requireAuthentication(req, deps.pool, deps.config.jwtSecret);
  const tokenAud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  if (!tokenAud || requestAud(req, claims) !== tokenAud) {
    throw badRequest('validation_failed', "Token audience doesn't match request audience");
  }
  return json(200, userJson(user));
};

/** GoTrue's isAdmin: the default audience and the `admin` role (GOTRUE_JWT_ADMIN_GROUP_NAME). */
const isAdminUser = (user: User) => user.aud === AUTH_SETTINGS.audience && user.role === 'admin';

/**
 * GoTrue's UpdatePassword: store the hash, drop pending one-time tokens, and sign the user out of every
 * other session (all sessions when the token carries none).
 */
export async function storePassword(tx: Queryable, userId: string, hash: string | null, keepSessionId: string | undefined): Promise<void> {
  await tx.query(
    `update auth.users set encrypted_password = $2, confirmation_token = '', confirmation_sent_at = null, recovery_token = '',
       recovery_sent_at = null, email_change_token_current = '', email_change_token_new = '', email_change_sent_at = null,
       phone_change_token = '', phone_change_sent_at = null, reauthentication_token = '', reauthentication_sent_at = null,
       updated_at = now()
     where id = $1`,
    [userId, hash],
  );
  await tx.query('delete from auth.sessions where user_id = $1 and id is distinct from $2::uuid', [userId, keepSessionId ?? null]);
}

const InvalidNonce = () => unprocessable('reauthentication_not_valid', 'Nonce has expired or is invalid');

/** GoTrue's verifyReauthentication: the code from GET /reauthenticate, within otp_expiry. */
async function verifyNonce(deps: AuthDeps, user: User, nonce: string): Promise<void> {
  const { rows } = await deps.pool.query<{ reauthentication_token: string | null; reauthentication_sent_at: Date | null }>(
    'select reauthentication_token, reauthentication_sent_at from auth.users where id = $1',
    [user.id],
  );
  const row = rows[0];
  if (!row?.reauthentication_token || !row.reauthentication_sent_at) throw InvalidNonce();
  if (!user.email) throw unprocessable('reauthentication_not_valid', 'Reauthentication requires an email or a phone number');
  const expired = Date.now() > row.reauthentication_sent_at.getTime() + deps.auth.email.otpExpirySeconds * 1000;
  if (expired || tokenHash(user.email, nonce) !== row.reauthentication_token) throw InvalidNonce();
}

/** An anonymous user adding an email with autoconfirm: confirmed at once, like a sign-up (GoTrue's emailChangeVerify). */
async function confirmAnonymousEmail(tx: Queryable, user: User, email: string): Promise<void> {
  const updated = await updateIdentityData(tx, user.id, 'email', { email, email_verified: true });
  if (!updated) await insertIdentity(tx, user.id, 'email', identityClaims(user.id, { email, emailVerified: true }));
  await tx.query(
    `update auth.users set email = $2, email_change = '', email_change_token_new = '', email_change_token_current = '',
       email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()), is_anonymous = false, updated_at = now()
     where id = $1`,
    [user.id, email],
  );
  await refreshProviders(tx, user.id);
}

/** Phone changes are confirmed at once, as GoTrue does with SMS autoconfirm (the CLI's default). */
async function changePhone(tx: Queryable, user: User, phone: string): Promise<void> {
  const updated = await updateIdentityData(tx, user.id, 'phone', { phone, phone_verified: true });
  if (!updated) await insertIdentity(tx, user.id, 'phone', identityClaims(user.id, { phone, phoneVerified: true }));
  await tx.query(
    `update auth.users set phone = $2, phone_change = '', phone_change_token = '', phone_confirmed_at = now(), updated_at = now() where id = $1`,
    [user.id, phone],
  );
  await refreshProviders(tx, user.id);
}

/** PUT /user: user_metadata (`data`), password (with `nonce` when reauthentication is due), email (confirmation mails), phone. */
export const updateUser: Handler = async (deps, req) => {
  const { claims, user, session } = await requireAuthentication(req, deps.pool, deps.config.jwtSecret);
  deps.limiter.check('user', req);
  const aud = requestAud(req, claims);
  const params = decodeBody(req.body, 'UserUpdateParams', USER_UPDATE_PARAMS);
  const email = params.email ? validateEmail(params.email) : '';
  const phone = params.phone ? validatePhone(params.phone) : '';
  if (params.password !== undefined) checkPasswordStrength(params.password);
  if (params.app_metadata && !isAdminUser(user)) throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
  validatePkceParams(params.code_challenge_method ?? '', params.code_challenge ?? '');

  const hasVerifiedFactor = user.factors.some((f) => f.status === 'verified');
  if (hasVerifiedFactor && (!session || (await sessionAal(deps.pool, session)).aal !== 'aal2')) {
    if (params.password || (email !== '' && email !== user.email) || (phone !== '' && phone !== user.phone)) {
      throw new AuthError(401, 'insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.');
    }
  }
  if (user.is_anonymous && params.password && email === '' && phone === '') {
    throw unprocessable('validation_failed', 'Updating password of an anonymous user without an email or phone is not allowed');
  }

  const changingEmail = email !== '' && email !== user.email;
  if (changingEmail && (await findDuplicateEmailOwner(deps.pool, email, aud, user.id))) {
    throw unprocessable('email_exists', 'A user with this email address has already been registered');
  }
  const changingPhone = phone !== '' && phone !== user.phone;
  if (changingPhone && (await findUserByPhone(deps.pool, phone, aud))) {
    throw unprocessable('phone_exists', 'A user with this phone number has already been registered');
  }
  let passwordHash: string | undefined;
  if (params.password !== undefined && deps.auth.email.securePasswordChange) {
    // [auth.email] secure_password_change: a session older than 24 hours needs the emailed code.
    if (!session || Date.now() > session.created_at.getTime() + 24 * 3600 * 1000) {
      if (!params.nonce) throw badRequest('reauthentication_needed', 'Password update requires reauthentication');
      await verifyNonce(deps, user, params.nonce);
    }
  }
  if (params.password !== undefined) {
    if (await verifyPassword(params.password, user.encrypted_password)) {
      throw unprocessable('same_password', 'New password should be different from the old password.');
    }
    passwordHash = await hashPassword(params.password);
  }

  const updated = await inTransaction(deps.pool, async (tx) => {
    if (passwordHash !== undefined) await storePassword(tx, user.id, passwordHash, session?.id);
    if (params.data) await mergeMetadata(tx, user.id, 'raw_user_meta_data', params.data);
    if (params.app_metadata) await mergeMetadata(tx, user.id, 'raw_app_meta_data', params.app_metadata);
    if (changingEmail) {
      if (user.is_anonymous && !deps.auth.email.enableConfirmations) {
        await confirmAnonymousEmail(tx, user, email);
      } else {
        const flow = flowFromChallenge(params.code_challenge);
        if (flow === 'pkce') await createFlowState(tx, 'email_change', 'email_change', params.code_challenge_method ?? '', params.code_challenge ?? '', user.id);
        await sendEmailChange({ deps, req, tx, user: (await findUserById(tx, user.id, true)) as User }, email, flow);
      }
    }
    if (changingPhone) await changePhone(tx, user, phone);
    return (await findUserById(tx, user.id)) as User;
  });
  return json(200, userJson(updated));
};
