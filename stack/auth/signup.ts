import { requestAud } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, tokenContext, type Handler } from './context.ts';
import { inTransaction } from './db.ts';
import { badRequest, unprocessable } from './errors.ts';
import { checkPasswordStrength, hashPassword } from './passwords.ts';
import { AUTH_SETTINGS } from './settings.ts';
import { issueSession } from './tokens.ts';
import {
  confirmEmail,
  findDuplicateEmailOwner,
  findUserById,
  identityClaims,
  insertIdentity,
  insertUser,
  mergeMetadata,
  refreshProviders,
  type User,
} from './users.ts';
import { validateEmail } from './validate.ts';

const SIGNUP_PARAMS = {
  email: 'string',
  phone: 'string',
  password: 'string',
  data: 'object',
  channel: 'string',
  code_challenge_method: 'string',
  code_challenge: 'string',
} as const;

const userAlreadyExists = () => unprocessable('user_already_exists', 'User already registered');

/**
 * POST /signup with email and password. Confirmations are off (the CLI's default), so the new user is
 * confirmed at once and the answer is a session, as GoTrue answers with mailer autoconfirm.
 */
export const signup: Handler = async (deps, req) => {
  const params = decodeBody(req.body, 'SignupParams', SIGNUP_PARAMS);
  let email = params.email ?? '';
  const phone = params.phone ?? '';
  const password = params.password ?? '';
  if (email === '' && phone === '') throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  deps.limiter.check('signups', req);
  if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
  checkPasswordStrength(password);
  if (email !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on signup.');
  }
  if (email === '' && !AUTH_SETTINGS.phoneEnabled) throw badRequest('phone_provider_disabled', 'Phone signups are disabled');

  const aud = requestAud(req);
  email = validateEmail(email);
  if (await findDuplicateEmailOwner(deps.pool, email, aud)) throw userAlreadyExists();

  const encryptedPassword = await hashPassword(password);
  const data = params.data ?? {};
  try {
    const session = await inTransaction(deps.pool, async (tx) => {
      const id = await insertUser(tx, {
        aud,
        role: AUTH_SETTINGS.defaultRole,
        email,
        phone: '',
        encryptedPassword,
        appMetadata: { provider: 'email', providers: ['email'] },
        userMetadata: {},
      });
      const identityData = identityClaims(id, { email });
      for (const [key, value] of Object.entries(data)) if (!(key in identityData)) identityData[key] = value;
      await insertIdentity(tx, id, 'email', identityData);
      // GoTrue's RemoveUnconfirmedIdentities: the new user's metadata is its identity's data.
      await mergeMetadata(tx, id, 'raw_user_meta_data', identityData);
      await refreshProviders(tx, id);
      if (AUTH_SETTINGS.mailerAutoconfirm) await confirmEmail(tx, id);
      const user = (await findUserById(tx, id)) as User;
      return issueSession(tx, tokenContext(deps, req), user);
    });
    return json(200, session);
  } catch (err) {
    // A concurrent sign-up with the same email won the race for the unique index.
    if ((err as { code?: string }).code === '23505') throw userAlreadyExists();
    throw err;
  }
};
