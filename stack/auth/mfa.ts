// GoTrue's MFA for TOTP (internal/api/mfa.go): enroll, challenge, verify, unenroll; admin list and delete.
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { ApiRequest } from '../service.ts';
import { requireAdmin, requireAuthentication, type Authenticated } from './authenticate.ts';
import { decodeBody } from './body.ts';
import { json, tokenContext, type AuthDeps, type Handler } from './context.ts';
import { inTransaction, type Queryable } from './db.ts';
import { AuthError, badRequest, forbidden, notFound, unprocessable } from './errors.ts';
import { addAmrClaim, insertRefreshToken, tokenResponse, type SessionRow } from './tokens.ts';
import { generateTotpSecret, totpUri, verifyTotp } from './totp.ts';
import { FACTOR_COLUMNS, factorJson, findUserById, type FactorRow, type User } from './users.ts';
import { isUuid } from './validate.ts';

/** GOTRUE_MFA_CHALLENGE_EXPIRY_DURATION's default (seconds). */
const CHALLENGE_EXPIRY_SECONDS = 300;
/** GOTRUE_MFA_FACTOR_EXPIRY_DURATION's default: unverified factors without challenges are cleaned up after it. */
const FACTOR_EXPIRY_SECONDS = 300;
/** GOTRUE_MFA_MAX_VERIFIED_FACTORS's default. */
const MAX_VERIFIED_FACTORS = 10;

const clientIp = (req: ApiRequest) => {
  const ip = req.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return ip || '127.0.0.1';
};

/** requireAuthentication + requireNotAnonymous, as GoTrue mounts /factors. */
async function factorUser(deps: AuthDeps, req: ApiRequest): Promise<Authenticated> {
  const auth = await requireAuthentication(req, deps.pool, deps.config.jwtSecret);
  if (auth.claims.is_anonymous === true) throw forbidden('no_authorization', 'Anonymous user not allowed to perform these actions');
  return auth;
}

/** loadFactor: a factor of this user. */
async function loadFactor(db: Queryable, userId: string, factorId: string): Promise<FactorRow & { secret: string | null }> {
  if (!isUuid(factorId)) throw notFound('validation_failed', 'factor_id must be an UUID');
  const { rows } = await db.query<FactorRow & { secret: string | null }>(
    `select ${FACTOR_COLUMNS}, secret from auth.mfa_factors where id = $1 and user_id = $2`,
    [factorId.toLowerCase(), userId],
  );
  if (!rows[0]) throw notFound('mfa_factor_not_found', 'Factor not found');
  return rows[0];
}

const isAal2 = async (db: Queryable, session: SessionRow | undefined) => {
  if (!session) return false;
  const { rows } = await db.query<{ aal: string | null }>('select aal::text as aal from auth.sessions where id = $1', [session.id]);
  return rows[0]?.aal === 'aal2';
};

/** POST /factors */
export const enrollFactor: Handler = async (deps, req) => {
  const { user, session } = await factorUser(deps, req);
  if (!session) throw new AuthError(500, 'unexpected_failure', 'A valid session and a registered user are required to enroll a factor');
  const params = decodeBody(req.body, 'EnrollFactorParams', { friendly_name: 'string', factor_type: 'string', issuer: 'string', phone: 'string' });
  switch (params.factor_type) {
    case 'totp':
      if (!deps.auth.mfa.totpEnrollEnabled) throw unprocessable('mfa_totp_enroll_not_enabled', 'MFA enroll is disabled for TOTP');
      break;
    case 'phone':
      throw unprocessable('mfa_phone_enroll_not_enabled', 'MFA enroll is disabled for Phone');
    case 'webauthn':
      throw unprocessable('mfa_webauthn_enroll_not_enabled', 'MFA enroll is disabled for WebAuthn');
    default:
      throw badRequest('validation_failed', 'factor_type needs to be totp, phone, or webauthn');
  }
  const friendlyName = params.friendly_name ?? '';
  let issuer = params.issuer ?? '';
  if (issuer === '') {
    try {
      issuer = new URL(deps.auth.siteUrl).host;
    } catch {
      throw new AuthError(500, 'unexpected_failure', 'site url is improperly formatted');
    }
  }
  const secret = generateTotpSecret();
  const uri = totpUri(secret, issuer, user.email ?? '');
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'H', margin: 0 });
  const factor = await inTransaction(deps.pool, async (tx) => {
    // validateFactors
    await tx.query(
      `delete from auth.mfa_factors f where status <> 'verified' and created_at + make_interval(secs => $1) < now()
         and not exists (select 1 from auth.mfa_challenges c where c.factor_id = f.id)`,
      [FACTOR_EXPIRY_SECONDS],
    );
    const { rows } = await tx.query<{ friendly_name: string | null; status: string }>('select friendly_name, status from auth.mfa_factors where user_id = $1 for update', [user.id]);
    for (const row of rows) {
      if ((row.friendly_name ?? '') === friendlyName) throw unprocessable('mfa_factor_name_conflict', `A factor with the friendly name "${friendlyName}" for this user already exists`);
    }
    const verified = rows.filter((r) => r.status === 'verified').length;
    if (rows.length >= deps.auth.mfa.maxEnrolledFactors || verified >= MAX_VERIFIED_FACTORS) {
      throw unprocessable('too_many_enrolled_mfa_factors', 'Maximum number of verified factors reached, unenroll to continue');
    }
    if (verified > 0 && !(await isAal2(tx, session))) throw forbidden('insufficient_aal', 'AAL2 required to enroll a new factor');
    const id = randomUUID();
    await tx.query(
      `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
       values ($1, $2, $3, 'totp', 'unverified', now(), now(), $4)`,
      [id, user.id, friendlyName, secret],
    );
    return id;
  });
  return json(200, { id: factor, type: 'totp', friendly_name: friendlyName, totp: { qr_code: svg, secret, uri } });
};

/** POST /factors/:id/challenge */
export const challengeFactor: Handler = async (deps, req, { id }) => {
  const { user } = await factorUser(deps, req);
  deps.limiter.check('mfaChallenge', req);
  const factor = await loadFactor(deps.pool, user.id, id!);
  if (!deps.auth.mfa.totpVerifyEnabled) throw unprocessable('mfa_totp_verify_not_enabled', 'MFA verification is disabled for TOTP');
  const challengeId = randomUUID();
  const { rows } = await deps.pool.query<{ created_at: Date }>(
    `insert into auth.mfa_challenges (id, factor_id, created_at, ip_address) values ($1, $2, now(), $3) returning created_at`,
    [challengeId, factor.id, clientIp(req)],
  );
  await deps.pool.query('update auth.mfa_factors set last_challenged_at = now() where id = $1', [factor.id]).catch(() => undefined);
  const expiresAt = Math.floor(rows[0]!.created_at.getTime() / 1000) + CHALLENGE_EXPIRY_SECONDS;
  return json(200, { id: challengeId, type: 'totp', expires_at: expiresAt });
};

/** POST /factors/:id/verify: the session becomes aal2 and gets a `totp` amr claim; a new refresh token. */
export const verifyFactor: Handler = async (deps, req, { id }) => {
  const { user, session } = await factorUser(deps, req);
  deps.limiter.check('mfaVerify', req);
  const factor = await loadFactor(deps.pool, user.id, id!);
  const params = decodeBody(req.body, 'VerifyFactorParams', { challenge_id: 'string', code: 'string' });
  if (!params.code) throw badRequest('validation_failed', 'Code needs to be non-empty');
  if (!deps.auth.mfa.totpVerifyEnabled) throw unprocessable('mfa_totp_verify_not_enabled', 'MFA verification is disabled for TOTP');
  if (!session) throw new AuthError(500, 'unexpected_failure', 'Cannot read SessionId claim as UUID');
  const challengeId = params.challenge_id ?? '';
  if (!isUuid(challengeId)) {
    throw badRequest('bad_json', `Could not parse request body as JSON: uuid: incorrect UUID length ${challengeId.length} in string "${challengeId}"`);
  }
  const found = await deps.pool.query<{ id: string; created_at: Date; verified_at: Date | null; ip_address: string }>(
    'select id, created_at, verified_at, host(ip_address) as ip_address from auth.mfa_challenges where id = $1 and factor_id = $2',
    [challengeId.toLowerCase(), factor.id],
  );
  const challenge = found.rows[0];
  if (!challenge) throw unprocessable('mfa_factor_not_found', 'MFA factor with the provided challenge ID not found');
  if (challenge.verified_at || challenge.ip_address !== clientIp(req)) throw unprocessable('mfa_ip_address_mismatch', 'Challenge and verify IP addresses mismatch.');
  if (Date.now() > challenge.created_at.getTime() + CHALLENGE_EXPIRY_SECONDS * 1000) {
    await deps.pool.query('delete from auth.mfa_challenges where id = $1', [challenge.id]);
    throw unprocessable('mfa_challenge_expired', `MFA challenge ${challenge.id} has expired, verify against another challenge or create a new challenge.`);
  }
  if (!verifyTotp(factor.secret ?? '', params.code)) throw unprocessable('mfa_verification_failed', 'Invalid TOTP code entered');
  const body = await inTransaction(deps.pool, async (tx) => {
    const used = await tx.query(`update auth.mfa_challenges set verified_at = now() where id = $1 and verified_at is null`, [challenge.id]);
    if (used.rowCount === 0) throw unprocessable('mfa_ip_address_mismatch', 'Challenge and verify IP addresses mismatch.');
    await tx.query(`update auth.mfa_factors set status = 'verified', updated_at = now() where id = $1`, [factor.id]);
    await addAmrClaim(tx, session.id, 'totp');
    const { rows } = await tx.query<SessionRow>(
      `update auth.sessions set aal = 'aal2', factor_id = $2, updated_at = now() where id = $1 returning id, user_id, created_at, aal::text as aal, not_after`,
      [session.id, factor.id],
    );
    // The old refresh tokens of the session (issued at aal1) are revoked; a new one is issued.
    await tx.query('update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false', [session.id]);
    const refreshToken = await insertRefreshToken(tx, user.id, session.id, null);
    // InvalidateSessionsWithAALLessThan: the user's other aal1 sessions end.
    await tx.query(`delete from auth.sessions where user_id = $1 and id <> $2 and (aal is null or aal = 'aal1')`, [user.id, session.id]);
    await tx.query(`delete from auth.mfa_factors where user_id = $1 and status = 'unverified' and factor_type = 'totp'`, [user.id]);
    const fresh = (await findUserById(tx, user.id)) as User;
    return tokenResponse(tx, tokenContext(deps, req), fresh, rows[0]!, refreshToken);
  });
  return json(200, body);
};

/** DELETE /factors/:id: a verified factor needs an aal2 session. */
export const unenrollFactor: Handler = async (deps, req, { id }) => {
  const { user, session } = await factorUser(deps, req);
  const factor = await loadFactor(deps.pool, user.id, id!);
  if (!session) throw new AuthError(500, 'unexpected_failure', 'A valid session and factor are required to unenroll a factor');
  if (factor.status === 'verified' && !(await isAal2(deps.pool, session))) throw unprocessable('insufficient_aal', 'AAL2 required to unenroll verified factor');
  await deleteFactor(deps.pool, factor.id);
  return json(200, { id: factor.id });
};

/** Destroy + DowngradeSessionsToAAL1. */
async function deleteFactor(pool: AuthDeps['pool'], factorId: string): Promise<void> {
  await inTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>('select id from auth.sessions where factor_id = $1', [factorId]);
    await tx.query('delete from auth.mfa_factors where id = $1', [factorId]);
    for (const s of rows) {
      await tx.query(`delete from auth.mfa_amr_claims where session_id = $1 and authentication_method = 'totp'`, [s.id]);
      await tx.query(`update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now() where id = $1`, [s.id]);
    }
  });
}

async function adminUser(deps: AuthDeps, req: ApiRequest, userId: string): Promise<User> {
  await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  if (!isUuid(userId)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(deps.pool, userId.toLowerCase());
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

/** GET /admin/users/:id/factors */
export const adminListFactors: Handler = async (deps, req, { id }) => {
  const user = await adminUser(deps, req, id!);
  return json(200, user.factors.map(factorJson));
};

/** DELETE /admin/users/:id/factors/:factorId: an admin removes a lost factor. */
export const adminDeleteFactor: Handler = async (deps, req, { id, factorId }) => {
  const user = await adminUser(deps, req, id!);
  const factor = await loadFactor(deps.pool, user.id, factorId!);
  await deleteFactor(deps.pool, factor.id);
  const { secret: _secret, ...row } = factor;
  return json(200, factorJson(row));
};
