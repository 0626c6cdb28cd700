// Admin: POST /invite (auth.admin.inviteUserByEmail) and POST /admin/generate_link (auth.admin.generateLink).
import { randomBytes } from 'node:crypto';
import { requestAud, requireAdmin } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, type AuthDeps, type Handler } from './context.ts';
import { inTransaction, type Queryable } from './db.ts';
import { badRequest, notFound, unprocessable } from './errors.ts';
import { actionLink, sendConfirmation } from './emails.ts';
import { generateOtp, saveOneTimeToken, tokenHash } from './one-time-tokens.ts';
import { hashPassword, checkPasswordStrength } from './passwords.ts';
import { isRedirectUrlValid, referrer } from './redirects.ts';
import { AUTH_SETTINGS } from './settings.ts';
import {
  findDuplicateEmailOwner,
  findUserByEmail,
  findUserById,
  identityClaims,
  insertIdentity,
  insertUser,
  mergeMetadata,
  refreshProviders,
  userJson,
  type User,
} from './users.ts';
import { validateEmail } from './validate.ts';

const DUPLICATE_EMAIL = 'A user with this email address has already been registered';
const isConfirmed = (user: User) => user.email_confirmed_at !== null || user.phone_confirmed_at !== null;

/** signupNewUser + createNewIdentity for an invited or generated user. */
async function newEmailUser(tx: Queryable, aud: string, email: string, data: Record<string, unknown>, encryptedPassword: string | null): Promise<string> {
  const id = await insertUser(tx, {
    aud,
    role: AUTH_SETTINGS.defaultRole,
    email,
    phone: '',
    encryptedPassword,
    appMetadata: { provider: 'email', providers: ['email'] },
    userMetadata: data,
  });
  await insertIdentity(tx, id, 'email', identityClaims(id, { email }));
  await refreshProviders(tx, id);
  return id;
}

/** POST /invite: creates the user (no password) unless it exists unconfirmed, and mails an invite link. */
export const invite: Handler = async (deps, req) => {
  await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  const params = decodeBody(req.body, 'InviteParams', { email: 'string', data: 'object' });
  const email = validateEmail(params.email ?? '');
  const aud = requestAud(req);
  const user = await inTransaction(deps.pool, async (tx) => {
    const existing = await findUserByEmail(tx, email, aud);
    if (existing && isConfirmed(existing)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
    const id = existing?.id ?? (await newEmailUser(tx, aud, email, params.data ?? {}, null));
    await sendConfirmation({ deps, req, tx, user: (await findUserById(tx, id, true)) as User }, 'implicit', true);
    return (await findUserById(tx, id)) as User;
  });
  return json(200, userJson(user));
};

const GENERATE_TYPES = new Set(['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new']);

/** POST /admin/generate_link: the action link (and its OTP and hash) without sending a mail. */
export const generateLink: Handler = async (deps: AuthDeps, req) => {
  await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  const params = decodeBody(req.body, 'GenerateLinkParams', { type: 'string', email: 'string', new_email: 'string', password: 'string', data: 'object', redirect_to: 'string' });
  let type = params.type ?? '';
  const email = validateEmail(params.email ?? '');
  const rurl = params.redirect_to && isRedirectUrlValid(deps.auth, params.redirect_to) ? params.redirect_to : referrer(req, deps.auth);
  const aud = requestAud(req);
  const found = await findUserByEmail(deps.pool, email, aud);
  let password = params.password ?? '';
  if (!found) {
    if (type === 'magiclink') {
      type = 'signup';
      password = randomBytes(48).toString('base64url');
    } else if (type === 'recovery' || type === 'email_change_current' || type === 'email_change_new') {
      throw notFound('user_not_found', 'User with this email not found');
    }
  }
  if (!GENERATE_TYPES.has(type)) throw badRequest('validation_failed', `Invalid email action link type requested: ${type}`);
  if (type === 'signup' && !found) {
    if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
    checkPasswordStrength(password);
  }
  const encrypted = type === 'signup' && !found ? await hashPassword(password) : null;
  const otp = generateOtp(deps.auth.email.otpLength);
  const hashed = tokenHash(email, otp);
  const { user, link } = await inTransaction(deps.pool, async (tx) => {
    let id = found?.id;
    let token = hashed;
    let linkType = type;
    switch (type) {
      case 'magiclink':
      case 'recovery':
        await tx.query('update auth.users set recovery_token = $2, recovery_sent_at = now() where id = $1', [id, hashed]);
        await saveOneTimeToken(tx, id!, email, hashed, 'recovery_token');
        break;
      case 'invite':
      case 'signup': {
        if (found) {
          if (isConfirmed(found)) throw unprocessable('email_exists', 'A user with this email address has already been registered');
          if (type === 'signup' && params.data) await mergeMetadata(tx, found.id, 'raw_user_meta_data', params.data);
        } else {
          id = await newEmailUser(tx, aud, email, params.data ?? {}, encrypted);
        }
        await tx.query(
          `update auth.users set confirmation_token = $2, confirmation_sent_at = now()${type === 'invite' ? ', invited_at = now()' : ''} where id = $1`,
          [id, hashed],
        );
        await saveOneTimeToken(tx, id!, email, hashed, 'confirmation_token');
        break;
      }
      default: {
        // email_change_current / email_change_new
        if (type === 'email_change_current' && !(deps.auth.email.doubleConfirmChanges)) {
          throw badRequest('validation_failed', 'Enable secure email change to generate link for current email');
        }
        const newEmail = validateEmail(params.new_email ?? '');
        if (await findDuplicateEmailOwner(tx, newEmail, aud, id)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
        const current = type === 'email_change_current' ? hashed : '';
        token = type === 'email_change_new' ? tokenHash(newEmail, otp) : hashed;
        await tx.query(
          `update auth.users set email_change = $2, email_change_sent_at = now(), email_change_confirm_status = 0,
             email_change_token_current = $3, email_change_token_new = $4 where id = $1`,
          [id, newEmail, current, type === 'email_change_new' ? token : ''],
        );
        if (current) await saveOneTimeToken(tx, id!, email, current, 'email_change_token_current');
        else await saveOneTimeToken(tx, id!, newEmail, token, 'email_change_token_new');
        linkType = 'email_change';
      }
    }
    return { user: (await findUserById(tx, id!)) as User, link: actionLink(deps, req, token, linkType, rurl) };
  });
  return json(200, { ...userJson(user), action_link: link, email_otp: otp, hashed_token: hashed, verification_type: type, redirect_to: rurl });
};
