// POST /otp (email: magic link or code), POST /resend, GET /reauthenticate.
import { requestAud, requireAuthentication } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, type Handler } from './context.ts';
import { inTransaction } from './db.ts';
import { badRequest, unprocessable } from './errors.ts';
import { sendConfirmation, sendEmailChange, sendReauthentication, sendRecovery } from './emails.ts';
import { createFlowState, flowFromChallenge, validatePkceParams } from './flow-state.ts';
import { createEmailUser } from './signup.ts';
import { findUserByEmail, findUserById, type User } from './users.ts';
import { validateEmail, validatePhone } from './validate.ts';

const isConfirmed = (user: User) => user.email_confirmed_at !== null || user.phone_confirmed_at !== null;

/** POST /otp: a magic link (with its code) to an email; a new address signs up unless create_user is false. */
export const otp: Handler = async (deps, req) => {
  deps.limiter.check('otp', req);
  const params = decodeBody(req.body, 'OtpParams', { email: 'string', phone: 'string', create_user: 'bool', data: 'object', channel: 'string', code_challenge_method: 'string', code_challenge: 'string' });
  const email = params.email ?? '';
  const phone = params.phone ?? '';
  const challenge = params.code_challenge ?? '';
  const method = params.code_challenge_method ?? '';
  if (email !== '' && phone !== '') throw badRequest('validation_failed', 'Only an email address or phone number should be provided');
  if (email !== '' && params.channel) throw badRequest('validation_failed', 'Channel should only be specified with Phone OTP');
  validatePkceParams(method, challenge);
  const aud = requestAud(req);
  if (params.create_user === false) {
    const exists = email !== '' ? await findUserByEmail(deps.pool, validateEmail(email), aud) : phone !== '' ? (validatePhone(phone), undefined) : true;
    if (!exists) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
  }
  if (phone !== '') throw badRequest('phone_provider_disabled', 'Unsupported phone provider');
  if (email === '') throw badRequest('validation_failed', 'One of email or phone must be set');
  const address = validateEmail(email);
  const flow = flowFromChallenge(challenge);
  let user = await findUserByEmail(deps.pool, address, aud);
  if (!user || !isConfirmed(user)) {
    // GoTrue signs the address up (random password): with confirmations on, the confirmation
    // mail is the magic link; with autoconfirm the user is confirmed and gets a magic link below.
    if (!deps.auth.enableSignup || !deps.auth.email.enableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
    const created = await createEmailUser(deps, req, { email: address, password: null, data: params.data ?? {}, challenge, method, aud });
    if (deps.auth.email.enableConfirmations) return json(200, {});
    user = created;
  }
  const target = user;
  await inTransaction(deps.pool, async (tx) => {
    if (flow === 'pkce') await createFlowState(tx, 'magiclink', 'magiclink', method, challenge, target.id);
    await sendRecovery({ deps, req, tx, user: (await findUserById(tx, target.id, true)) as User }, flow, true);
  });
  return json(200, {});
};

/** POST /resend: the signup confirmation or the email change mails again. */
export const resend: Handler = async (deps, req) => {
  deps.limiter.check('resend', req);
  const params = decodeBody(req.body, 'ResendConfirmationParams', { type: 'string', email: 'string', phone: 'string', code_challenge: 'string', code_challenge_method: 'string' });
  const type = params.type ?? '';
  const email = params.email ?? '';
  const phone = params.phone ?? '';
  const challenge = params.code_challenge ?? '';
  const method = params.code_challenge_method ?? '';
  if (type === 'signup' || type === 'email_change') validatePkceParams(method, challenge);
  else if (type !== 'sms' && type !== 'phone_change') throw badRequest('validation_failed', 'Missing one of these types: signup, email_change, sms, phone_change');
  if (email === '' && type === 'signup') throw badRequest('validation_failed', 'Type provided requires an email address');
  if (phone === '' && type === 'sms') throw badRequest('validation_failed', 'Type provided requires a phone number');
  if (email !== '' && phone !== '') throw badRequest('validation_failed', 'Only an email address or phone number should be provided.');
  if (phone !== '') throw badRequest('phone_provider_disabled', 'Phone logins are disabled');
  if (email === '') throw badRequest('validation_failed', 'Missing email address or phone number');
  const user = await findUserByEmail(deps.pool, validateEmail(email), requestAud(req));
  if (!user) return json(200, {});
  if (type === 'signup' && isConfirmed(user)) return json(200, {});
  if (type === 'email_change' && !user.email_change) return json(200, {});
  if (type === 'sms' || type === 'phone_change') return json(200, {});
  const flow = flowFromChallenge(challenge);
  await inTransaction(deps.pool, async (tx) => {
    const locked = (await findUserById(tx, user.id, true)) as User;
    if (type === 'signup') {
      if (flow === 'pkce') await createFlowState(tx, 'email', 'email/signup', method, challenge, user.id);
      await sendConfirmation({ deps, req, tx, user: locked }, flow);
    } else {
      if (flow === 'pkce') await createFlowState(tx, 'email_change', 'email_change', method, challenge, user.id);
      await sendEmailChange({ deps, req, tx, user: locked }, locked.email_change ?? '', flow);
    }
  });
  return json(200, {});
};

/** GET /reauthenticate: a code to the user's email, for PUT /user's `nonce`. */
export const reauthenticate: Handler = async (deps, req) => {
  const { user } = await requireAuthentication(req, deps.pool, deps.config.jwtSecret);
  if (!user.email && !user.phone) throw badRequest('validation_failed', 'Reauthentication requires the user to have an email or a phone number');
  if (user.email) {
    if (!isConfirmed(user)) throw unprocessable('email_not_confirmed', 'Please verify your email first.');
  } else {
    throw badRequest('phone_provider_disabled', 'Unsupported phone provider');
  }
  await inTransaction(deps.pool, async (tx) => sendReauthentication({ deps, req, tx, user: (await findUserById(tx, user.id, true)) as User }));
  return json(200, {});
};
