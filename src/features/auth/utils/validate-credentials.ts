export type AuthMode = 'sign-in' | 'sign-up';

export interface Credentials {
  email: string;
  password: string;
}

export type CredentialErrors = Partial<Record<keyof Credentials, string>>;

/** supabase/config.toml `[auth] minimum_password_length`; the server enforces it too. */
export const MIN_PASSWORD_LENGTH = 6;
/** bcrypt only reads 72 bytes, so Supabase Auth refuses longer passwords. */
export const MAX_PASSWORD_LENGTH = 72;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeCredentials({ email, password }: Credentials): Credentials {
  return { email: email.trim(), password };
}

/** Checks what the browser can check before asking the server; the server has the last word. */
export function validateCredentials(mode: AuthMode, credentials: Credentials): CredentialErrors {
  const { email, password } = normalizeCredentials(credentials);
  const errors: CredentialErrors = {};
  if (email === '') errors.email = 'Enter your email address.';
  else if (!EMAIL.test(email)) errors.email = 'Enter an email address like name@example.com.';

  if (password === '') errors.password = mode === 'sign-in' ? 'Enter your password.' : 'Choose a password.';
  else if (mode === 'sign-up' && password.length < MIN_PASSWORD_LENGTH) errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  else if (mode === 'sign-up' && new TextEncoder().encode(password).length > MAX_PASSWORD_LENGTH) errors.password = `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  return errors;
}
