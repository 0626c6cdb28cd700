// GoTrue's PKCE flow state (internal/api/pkce.go, models/flow_state.go) for the email flows.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Queryable } from './db.ts';
import { AuthError, badRequest, notFound, unprocessable } from './errors.ts';
import type { FlowType } from './emails.ts';

const CHALLENGE = /^[a-zA-Z._~0-9-]+$/;
/** GOTRUE_EXTERNAL_FLOW_STATE_EXPIRY_DURATION's default. */
const FLOW_STATE_EXPIRY_MS = 300_000;

/** validatePKCEParams: both or neither, and a challenge of RFC 7636's form. */
export function validatePkceParams(method: string, challenge: string): void {
  if ((challenge === '') !== (method === '')) throw badRequest('validation_failed', 'PKCE flow requires code_challenge_method and code_challenge');
  if (challenge === '') return;
  if (challenge.length < 43 || challenge.length > 128) throw badRequest('validation_failed', 'code challenge has to be between 43 and 128 characters');
  if (!CHALLENGE.test(challenge)) throw badRequest('validation_failed', 'code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes');
}

export const flowFromChallenge = (challenge: string | undefined): FlowType => (challenge ? 'pkce' : 'implicit');

/** generateFlowState; code_challenge_method is stored lower-case (GoTrue's enum has 's256' and 'plain'). */
export async function createFlowState(tx: Queryable, providerType: string, authenticationMethod: string, method: string, challenge: string, userId: string): Promise<void> {
  const normalized = method.toLowerCase();
  if (normalized !== 's256' && normalized !== 'plain') throw badRequest('validation_failed', 'code challenge method not supported');
  await tx.query(
    `insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type, authentication_method, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, now(), now())`,
    [randomUUID(), userId, randomUUID(), normalized, challenge, providerType, authenticationMethod],
  );
}

/** issueAuthCode: the user's latest flow state for this method gets its auth code issued. */
export async function issueAuthCode(tx: Queryable, userId: string, authenticationMethod: string): Promise<string> {
  const { rows } = await tx.query<{ id: string; auth_code: string | null }>(
    `select id, auth_code from auth.flow_state where user_id = $1 and authentication_method = $2 order by created_at desc, id desc limit 1`,
    [userId, authenticationMethod],
  );
  const flow = rows[0];
  if (!flow) throw unprocessable('flow_state_not_found', 'No valid flow state found for user.');
  if (!flow.auth_code) throw unprocessable('flow_state_not_found', 'Flow state does not have an auth code (not a PKCE flow).');
  await tx.query('update auth.flow_state set auth_code_issued_at = now(), updated_at = now() where id = $1', [flow.id]);
  return flow.auth_code;
}

interface FlowStateRow {
  id: string;
  user_id: string | null;
  code_challenge_method: string | null;
  code_challenge: string | null;
  authentication_method: string;
  created_at: Date;
  auth_code_issued_at: Date | null;
}

/** The PKCE grant's checks (token.go PKCE): the flow state, its expiry, the verifier. Returns the row. */
export async function consumeFlowState(tx: Queryable, authCode: string, codeVerifier: string): Promise<FlowStateRow> {
  const { rows } = await tx.query<FlowStateRow>(
    `select id, user_id, code_challenge_method, code_challenge, authentication_method, created_at, auth_code_issued_at
       from auth.flow_state where auth_code = $1 limit 1 for update`,
    [authCode],
  );
  const flow = rows[0];
  if (!flow || !flow.user_id) throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found');
  const from = flow.auth_code_issued_at && flow.authentication_method === 'magiclink' ? flow.auth_code_issued_at : flow.created_at;
  if (Date.now() > from.getTime() + FLOW_STATE_EXPIRY_MS) throw unprocessable('flow_state_expired', 'invalid flow state, flow state has expired');
  const challenge = flow.code_challenge ?? '';
  let expected: string;
  switch ((flow.code_challenge_method ?? '').toLowerCase()) {
    case 's256':
      expected = createHash('sha256').update(codeVerifier).digest('base64url');
      break;
    case 'plain':
      expected = codeVerifier;
      break;
    default:
      throw badRequest('bad_code_verifier', 'code challenge method not supported');
  }
  const a = Buffer.from(expected);
  const b = Buffer.from(challenge);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new AuthError(400, 'bad_code_verifier', 'code challenge does not match previously saved code verifier');
  await tx.query('delete from auth.flow_state where id = $1', [flow.id]);
  return flow;
}
