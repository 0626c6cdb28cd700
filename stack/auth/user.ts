import { createHash, randomInt } from 'node:crypto';
import { requestAud, requireAuthentication } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, type Handler } from './context.ts';
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

/** GoTrue's sendEmailChange with double confirmation: the change waits for confirmation links (never mailed here). */
async function requestEmailChange(tx: Queryable, user: User, newEmail: string): Promise<void> {
  const sentAt = user.email_change_sent_at?.getTime();
  if (sentAt !== undefined && sentAt + AUTH_SETTINGS.emailMaxFrequencyMs > Date.now()) {
    const left = Math.floor((sentAt + AUTH_SETTINGS.emailMaxFrequencyMs - Date.now()) / 1000);
    throw new AuthError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${left} seconds.`);
  }
  const otp = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
  const tokenHash = (email: string, code: string) => createHash('sha224').update(email + code).digest('hex');
  await tx.query(
    `update auth.users set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
       email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now()
     where id = $1`,
    [user.id, newEmail, tokenHash(newEmail, otp()), user.email ? tokenHash(user.email, otp()) : ''],
  );
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

/** PUT /user: user_metadata (`data`), password, email (pending confirmation), phone. */
export const updateUser: Handler = async (deps, req) => {
  const { claims, user, session } = await requireAuthentication(req, deps.pool, deps.config.jwtSecret);
  deps.limiter.check('user', req);
  const aud = requestAud(req, claims);
  const params = decodeBody(req.body, 'UserUpdateParams', USER_UPDATE_PARAMS);
  const email = params.email ? validateEmail(params.email) : '';
  const phone = params.phone ? validatePhone(params.phone) : '';
  if (params.password !== undefined) checkPasswordStrength(params.password);
  if (params.app_metadata && !isAdminUser(user)) throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');

  const changingEmail = email !== '' && email !== user.email;
  if (changingEmail && (await findDuplicateEmailOwner(deps.pool, email, aud, user.id))) {
    throw unprocessable('email_exists', 'A user with this email address has already been registered');
  }
  const changingPhone = phone !== '' && phone !== user.phone;
  if (changingPhone && (await findUserByPhone(deps.pool, phone, aud))) {
    throw unprocessable('phone_exists', 'A user with this phone number has already been registered');
  }
  let passwordHash: string | undefined;
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
      await requestEmailChange(tx, user, email);
      deps.log(`auth: email change of user ${user.id} awaits confirmation; the local stack sends no mail`);
    }
    if (changingPhone) await changePhone(tx, user, phone);
    return (await findUserById(tx, user.id)) as User;
  });
  return json(200, userJson(updated));
};
