import { requestAud } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, type Handler } from './context.ts';
import { inTransaction } from './db.ts';
import { badRequest } from './errors.ts';
import { sendRecovery } from './emails.ts';
import { createFlowState, flowFromChallenge, validatePkceParams } from './flow-state.ts';
import { findUserByEmail } from './users.ts';
import { validateEmail } from './validate.ts';

/** POST /recover: a recovery mail; an unknown address gets the same `{}` (no account enumeration). */
export const recover: Handler = async (deps, req) => {
  deps.limiter.check('recover', req);
  const params = decodeBody(req.body, 'RecoverParams', { email: 'string', code_challenge: 'string', code_challenge_method: 'string' });
  if (!params.email) throw badRequest('validation_failed', 'Password recovery requires an email');
  const email = validateEmail(params.email);
  const challenge = params.code_challenge ?? '';
  const method = params.code_challenge_method ?? '';
  validatePkceParams(method, challenge);
  const user = await findUserByEmail(deps.pool, email, requestAud(req));
  if (!user) return json(200, {});
  const flow = flowFromChallenge(challenge);
  await inTransaction(deps.pool, async (tx) => {
    if (flow === 'pkce') await createFlowState(tx, 'recovery', 'recovery', method, challenge, user.id);
    await sendRecovery({ deps, req, tx, user }, flow);
  });
  return json(200, {});
};
