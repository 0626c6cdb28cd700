import bcrypt from 'bcryptjs';
import { AuthError, badRequest } from './errors.ts';
import { AUTH_SETTINGS } from './settings.ts';

const BCRYPT_COST = 10;
/** Bcrypt only looks at the first 72 bytes; GoTrue refuses longer passwords. */
const MAX_PASSWORD_BYTES = 72;

/** A `$2a$` hash, as Go's bcrypt (and so GoTrue) writes them. */
export async function hashPassword(password: string): Promise<string> {
  const salt = (await bcrypt.genSalt(BCRYPT_COST)).replace(/^\$2b\$/, '$2a$');
  return bcrypt.hash(password, salt);
}

/** Verifies against `$2a$`/`$2b$`/`$2y$` bcrypt hashes, including pgcrypto's `crypt(pw, gen_salt('bf'))`. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash || !/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash)) return false;
  return bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2a$'));
}

/** GoTrue's checkPasswordStrength with the CLI's defaults (minimum length, no required characters, no HIBP). */
export function checkPasswordStrength(password: string): void {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw badRequest('validation_failed', `Password cannot be longer than ${MAX_PASSWORD_BYTES} characters`);
  }
  if (Buffer.byteLength(password) < AUTH_SETTINGS.minimumPasswordLength) {
    throw new AuthError(
      422,
      'weak_password',
      `Password should be at least ${AUTH_SETTINGS.minimumPasswordLength} characters.`,
      ['length'],
    );
  }
}
