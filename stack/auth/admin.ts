import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { requestAud, requireAdmin } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, type AuthDeps, type Handler } from './context.ts';
import { inTransaction, type Queryable } from './db.ts';
import { parseGoDuration } from './duration.ts';
import { AuthError, badRequest, notFound, unprocessable } from './errors.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';
import { AUTH_SETTINGS } from './settings.ts';
import { storePassword } from './user.ts';
import {
  confirmEmail,
  confirmPhone,
  findDuplicateEmailOwner,
  findUserById,
  findUserByPhone,
  identityClaims,
  insertIdentity,
  insertUser,
  mergeMetadata,
  updateIdentityData,
  userJson,
  type User,
  type UserRow,
} from './users.ts';
import { isUuid, validateEmail, validatePhone } from './validate.ts';

const ADMIN_USER_PARAMS = {
  id: 'string',
  aud: 'string',
  role: 'string',
  email: 'string',
  phone: 'string',
  password: 'string',
  password_hash: 'string',
  email_confirm: 'bool',
  phone_confirm: 'bool',
  user_metadata: 'object',
  app_metadata: 'object',
  ban_duration: 'string',
} as const;

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** `ban_duration`: a Go duration, or "none" to lift a ban; undefined leaves banned_until alone. */
function banDuration(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (value === 'none') return 0;
  try {
    return parseGoDuration(value);
  } catch (err) {
    throw badRequest('validation_failed', `invalid format for ban duration: ${(err as Error).message}`);
  }
}

async function ban(tx: Queryable, userId: string, durationMs: number): Promise<void> {
  await tx.query(
    `update auth.users set banned_until = case when $2::float8 = 0 then null else now() + $2::float8 * interval '1 millisecond' end,
       updated_at = now() where id = $1`,
    [userId, durationMs],
  );
}

/** GoTrue's loadUser for /admin/users/{user_id}. */
async function loadUser(deps: AuthDeps, id: string): Promise<User> {
  if (!isUuid(id)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(deps.pool, id.toLowerCase());
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

/** POST /admin/users */
export const createUser: Handler = async (deps, req) => {
  const claims = await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  const params = decodeBody(req.body, 'AdminUserParams', ADMIN_USER_PARAMS);
  const aud = params.aud || requestAud(req, claims);
  if (!params.email && !params.phone) throw badRequest('validation_failed', 'Cannot create a user without either an email or phone');
  const providers: string[] = [];
  let email = '';
  let phone = '';
  if (params.email) {
    email = validateEmail(params.email);
    if (await findDuplicateEmailOwner(deps.pool, email, aud)) {
      throw unprocessable('email_exists', 'A user with this email address has already been registered');
    }
    providers.push('email');
  }
  if (params.phone) {
    phone = validatePhone(params.phone);
    if (await findUserByPhone(deps.pool, phone, aud)) throw unprocessable('phone_exists', 'Phone number already registered by another user');
    providers.push('phone');
  }
  if (params.password !== undefined && params.password_hash) {
    throw badRequest('validation_failed', 'Only a password or a password hash should be provided');
  }
  let encryptedPassword: string;
  if (params.password_hash) {
    if (!BCRYPT_HASH.test(params.password_hash)) throw badRequest('validation_failed', 'Invalid password hash: only bcrypt hashes are supported');
    encryptedPassword = params.password_hash;
  } else {
    const password = params.password || randomBytes(48).toString('base64url');
    if (Buffer.byteLength(password) > 72) throw badRequest('validation_failed', 'bcrypt: password length exceeds 72 bytes');
    encryptedPassword = await hashPassword(password);
  }
  let id: string | undefined;
  if (params.id) {
    if (!isUuid(params.id)) throw badRequest('validation_failed', 'ID must conform to the uuid v4 format');
    if (/^[0-]+$/.test(params.id)) throw badRequest('validation_failed', 'ID cannot be a nil uuid');
    id = params.id.toLowerCase();
  }
  const banMs = banDuration(params.ban_duration);

  try {
    const user = await inTransaction(deps.pool, async (tx) => {
      const userId = await insertUser(tx, {
        id: id ?? randomUUID(),
        aud,
        role: params.role || AUTH_SETTINGS.defaultRole,
        email,
        phone,
        encryptedPassword,
        appMetadata: { provider: providers[0], providers },
        userMetadata: params.user_metadata ?? {},
      });
      if (email) await insertIdentity(tx, userId, 'email', identityClaims(userId, { email }));
      if (phone) await insertIdentity(tx, userId, 'phone', identityClaims(userId, { phone }));
      if (params.app_metadata) await mergeMetadata(tx, userId, 'raw_app_meta_data', params.app_metadata);
      if (params.email_confirm) await confirmEmail(tx, userId);
      if (params.phone_confirm) await confirmPhone(tx, userId);
      if (banMs !== undefined) await ban(tx, userId, banMs);
      return (await findUserById(tx, userId)) as User;
    });
    return json(200, userJson(user));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw unprocessable('email_exists', 'A user with this email address has already been registered');
    throw err;
  }
};

/** GET /admin/users/{id} */
export const getUserById: Handler = async (deps, req, { id }) => {
  await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  return json(200, userJson(await loadUser(deps, id as string)));
};

async function upsertIdentity(tx: Queryable, user: UserRow, provider: 'email' | 'phone', value: string, verified: boolean): Promise<void> {
  const updates = provider === 'email' ? { email: value, email_verified: verified } : { phone: value, phone_verified: verified };
  if (await updateIdentityData(tx, user.id, provider, updates)) return;
  const claims = provider === 'email' ? { email: value, emailVerified: verified } : { phone: value, phoneVerified: verified };
  await insertIdentity(tx, user.id, provider, identityClaims(user.id, claims));
}

/** PUT /admin/users/{id} */
export const updateUserById: Handler = async (deps, req, { id }) => {
  await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  const user = await loadUser(deps, id as string);
  const params = decodeBody(req.body, 'AdminUserParams', ADMIN_USER_PARAMS);
  const email = params.email ? validateEmail(params.email) : '';
  const phone = params.phone ? validatePhone(params.phone) : '';
  const banMs = banDuration(params.ban_duration);
  let passwordHash: string | undefined;
  if (params.password !== undefined) {
    checkPasswordStrength(params.password);
    passwordHash = await hashPassword(params.password);
  }
  try {
    const updated = await inTransaction(deps.pool, async (tx) => {
      if (params.role) await tx.query('update auth.users set role = $2, updated_at = now() where id = $1', [user.id, params.role.trim()]);
      if (params.email_confirm) await confirmEmail(tx, user.id);
      if (params.phone_confirm) await confirmPhone(tx, user.id);
      // An admin password change signs the user out everywhere (GoTrue's UpdatePassword without a session).
      if (passwordHash !== undefined) await storePassword(tx, user.id, passwordHash, undefined);
      if (email) {
        await upsertIdentity(tx, user, 'email', email, params.email_confirm ?? false);
        await tx.query('update auth.users set email = $2, updated_at = now() where id = $1', [user.id, email]);
      }
      if (phone) {
        await upsertIdentity(tx, user, 'phone', phone, params.phone_confirm ?? false);
        await tx.query('update auth.users set phone = $2, updated_at = now() where id = $1', [user.id, phone]);
      }
      if (params.app_metadata) await mergeMetadata(tx, user.id, 'raw_app_meta_data', params.app_metadata);
      if (params.user_metadata) await mergeMetadata(tx, user.id, 'raw_user_meta_data', params.user_metadata);
      if (banMs !== undefined) await ban(tx, user.id, banMs);
      return (await findUserById(tx, user.id)) as User;
    });
    return json(200, userJson(updated));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw unprocessable(email ? 'email_exists' : 'phone_exists', 'A user with this email address or phone number has already been registered');
    }
    throw err;
  }
};

/** GoTrue's obfuscateValue: base64url(sha256(user id + value)). */
const obfuscate = (userId: string, value: string) => createHash('sha256').update(userId + value).digest('base64url');

/** GoTrue's SoftDeleteUser: scrub identifying data, keep the row, end every session. */
async function softDelete(tx: Queryable, user: User): Promise<void> {
  await tx.query(
    `update auth.users set email = $2, phone = $3, email_change = $4, phone_change = $5, encrypted_password = null,
       confirmation_token = '', recovery_token = '', email_change_token_current = '', email_change_token_new = '',
       phone_change_token = '', raw_user_meta_data = '{}', deleted_at = now(), updated_at = now()
     where id = $1`,
    [
      user.id,
      obfuscate(user.id, user.email ?? ''),
      obfuscate(user.id, user.phone ?? '').slice(0, 15),
      obfuscate(user.id, user.email_change ?? ''),
      obfuscate(user.id, user.phone_change ?? '').slice(0, 15),
    ],
  );
  for (const identity of user.identities) {
    await tx.query(`update auth.identities set identity_data = '{}', provider_id = $2, updated_at = now() where id = $1`, [
      identity.id,
      obfuscate(identity.user_id, `${identity.provider}:${identity.provider_id}`),
    ]);
  }
  await tx.query('delete from auth.sessions where user_id = $1', [user.id]);
}

/** DELETE /admin/users/{id}, body `{should_soft_delete}` optional. */
export const deleteUserById: Handler = async (deps, req, { id }) => {
  await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  const user = await loadUser(deps, id as string);
  const params = req.body.length > 0 ? decodeBody(req.body, 'adminUserDeleteParams', { should_soft_delete: 'bool' }) : {};
  try {
    await inTransaction(deps.pool, async (tx) => {
      if (!params.should_soft_delete) await tx.query('delete from auth.users where id = $1', [user.id]);
      else if (!user.deleted_at) await softDelete(tx, user);
    });
  } catch (err) {
    // As GoTrue: rows in the app's tables that reference the user without `on delete cascade` block the delete.
    if ((err as { code?: string }).code === '23503') throw new AuthError(500, 'unexpected_failure', 'Database error deleting user');
    throw err;
  }
  return json(200, {});
};
