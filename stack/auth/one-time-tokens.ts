import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';

export type OneTimeTokenType =
  | 'confirmation_token'
  | 'reauthentication_token'
  | 'recovery_token'
  | 'email_change_token_new'
  | 'email_change_token_current';

export const PKCE_PREFIX = 'pkce_';

/** GoTrue's crypto.GenerateOtp: `length` random digits. */
export function generateOtp(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(0, 10));
  return out;
}

/** GoTrue's crypto.GenerateTokenHash: hex SHA-224 of email (or phone) + OTP. */
export const tokenHash = (emailOrPhone: string, otp: string) => createHash('sha224').update(emailOrPhone + otp).digest('hex');

/** GoTrue's CreateOneTimeToken: one live token per user and type. */
export async function saveOneTimeToken(tx: Queryable, userId: string, relatesTo: string, hash: string, type: OneTimeTokenType): Promise<void> {
  await tx.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, type]);
  await tx.query(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
     values ($1, $2, $3, $4, $5, now(), now())`,
    [randomUUID(), userId, type, hash, relatesTo.toLowerCase()],
  );
}

export async function clearOneTimeToken(tx: Queryable, userId: string, type: OneTimeTokenType): Promise<void> {
  await tx.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, type]);
}

/** The user whose live token of one of `types` has this hash (the one_time_tokens row, or the users column as GoTrue falls back). */
export async function findUserIdByToken(db: Queryable, hash: string, types: OneTimeTokenType[]): Promise<string | undefined> {
  const { rows } = await db.query<{ user_id: string }>(
    `select user_id from auth.one_time_tokens where token_hash = $1 and token_type = any($2::auth.one_time_token_type[]) limit 1`,
    [hash, types],
  );
  if (rows[0]) return rows[0].user_id;
  const columns = types.map((t) => `${t} = $1`).join(' or ');
  const fallback = await db.query<{ id: string }>(`select id from auth.users where is_sso_user = false and (${columns}) limit 1`, [hash]);
  return fallback.rows[0]?.id;
}
