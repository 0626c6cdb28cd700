import { randomBytes, randomUUID } from 'node:crypto';
import type { ApiRequest } from '../service.ts';
import { requestAud } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, tokenContext, type AuthDeps, type Handler } from './context.ts';
import { inTransaction } from './db.ts';
import { badRequest, unprocessable } from './errors.ts';
import { sendConfirmation } from './emails.ts';
import { createFlowState, flowFromChallenge, validatePkceParams } from './flow-state.ts';
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
  userJson,
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
const isConfirmed = (user: User) => user.email_confirmed_at !== null || user.phone_confirmed_at !== null;

export interface NewEmailUser {
  email: string;
  /** null: a random one (magic-link sign-ups), as GoTrue generates. */
  password: string | null;
  data: Record<string, unknown>;
  challenge: string;
  method: string;
  aud: string;
}

/**
 * GoTrue's Signup for the email provider: a new user (or the existing unconfirmed one) with its
 * email identity, then either confirmed at once (confirmations off) or sent a confirmation mail
 * (PKCE: with a flow state). A confirmed user is UserExistsError.
 */
export async function createEmailUser(deps: AuthDeps, req: ApiRequest, params: NewEmailUser): Promise<User> {
  const existingId = await findDuplicateEmailOwner(deps.pool, params.email, params.aud);
  const encryptedPassword = existingId ? null : await hashPassword(params.password ?? randomBytes(33).toString('base64url'));
  try {
    return await inTransaction(deps.pool, async (tx) => {
      let id = existingId;
      if (id) {
        const existing = (await findUserById(tx, id, true)) as User;
        if (isConfirmed(existing)) throw new UserExists(existing);
      } else {
        id = await insertUser(tx, {
          aud: params.aud,
          role: AUTH_SETTINGS.defaultRole,
          email: params.email,
          phone: '',
          encryptedPassword,
          appMetadata: { provider: 'email', providers: ['email'] },
          userMetadata: {},
        });
        const identityData = identityClaims(id, { email: params.email });
        for (const [key, value] of Object.entries(params.data)) if (!(key in identityData)) identityData[key] = value;
        await insertIdentity(tx, id, 'email', identityData);
        // GoTrue's RemoveUnconfirmedIdentities: the new user's metadata is its identity's data.
        await mergeMetadata(tx, id, 'raw_user_meta_data', identityData);
        await refreshProviders(tx, id);
      }
      if (!deps.auth.email.enableConfirmations) {
        await confirmEmail(tx, id);
      } else {
        const flow = flowFromChallenge(params.challenge);
        if (flow === 'pkce') await createFlowState(tx, 'email', 'email/signup', params.method, params.challenge, id);
        await sendConfirmation({ deps, req, tx, user: (await findUserById(tx, id, true)) as User }, flow);
      }
      return (await findUserById(tx, id)) as User;
    });
  } catch (err) {
    // A concurrent sign-up with the same email won the race for the unique index.
    if ((err as { code?: string }).code === '23505') throw userAlreadyExists();
    throw err;
  }
}

export class UserExists extends Error {
  constructor(readonly user: User) {
    super('user exists');
  }
}

/** GoTrue's sanitizeUser: what an existing confirmed address gets when confirmations are on (no enumeration). */
function sanitizedUser(email: string, aud: string, data: Record<string, unknown>): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    aud,
    role: AUTH_SETTINGS.defaultRole,
    email,
    phone: '',
    confirmation_sent_at: now,
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

/** POST /signup without email or phone: GoTrue's SignupAnonymously when enable_anonymous_sign_ins is on. */
async function signupAnonymously(deps: AuthDeps, req: ApiRequest, data: Record<string, unknown>) {
  deps.limiter.check('anonymous', req);
  if (!deps.auth.enableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  const session = await inTransaction(deps.pool, async (tx) => {
    const id = await insertUser(tx, {
      aud: requestAud(req),
      role: AUTH_SETTINGS.defaultRole,
      email: '',
      phone: '',
      encryptedPassword: null,
      appMetadata: { provider: 'anonymous', providers: ['anonymous'] },
      userMetadata: data,
    });
    await tx.query('update auth.users set is_anonymous = true where id = $1', [id]);
    return issueSession(tx, tokenContext(deps, req), (await findUserById(tx, id)) as User, 'anonymous');
  });
  return json(200, session);
}

/**
 * POST /signup. With confirmations off (the CLI's default) the new user is confirmed at once and
 * the answer is a session; with `[auth.email] enable_confirmations` the answer is the user and a
 * confirmation mail goes to the catcher.
 */
export const signup: Handler = async (deps, req) => {
  const params = decodeBody(req.body, 'SignupParams', SIGNUP_PARAMS);
  let email = params.email ?? '';
  const phone = params.phone ?? '';
  const password = params.password ?? '';
  if (email === '' && phone === '') {
    if (!deps.auth.enableAnonymousSignIns) throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
    return signupAnonymously(deps, req, params.data ?? {});
  }
  deps.limiter.check('signups', req);
  if (!deps.auth.enableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  if (password === '') throw badRequest('validation_failed', 'Signup requires a valid password');
  checkPasswordStrength(password);
  if (email !== '' && phone !== '') {
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on signup.');
  }
  validatePkceParams(params.code_challenge_method ?? '', params.code_challenge ?? '');
  if (email === '' && !AUTH_SETTINGS.phoneEnabled) throw badRequest('phone_provider_disabled', 'Phone signups are disabled');
  if (!deps.auth.email.enableSignup) throw badRequest('email_provider_disabled', 'Email signups are disabled');

  const aud = requestAud(req);
  email = validateEmail(email);
  const data = params.data ?? {};
  let user: User;
  try {
    user = await createEmailUser(deps, req, { email, password, data, challenge: params.code_challenge ?? '', method: params.code_challenge_method ?? '', aud });
  } catch (err) {
    if (!(err instanceof UserExists)) throw err;
    if (!deps.auth.email.enableConfirmations) throw userAlreadyExists();
    return json(200, sanitizedUser(email, aud, data));
  }
  if (!isConfirmed(user)) return json(200, userJson(user));
  const session = await inTransaction(deps.pool, (tx) => issueSession(tx, tokenContext(deps, req), user));
  return json(200, session);
};
