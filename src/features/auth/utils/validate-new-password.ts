import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './validate-credentials.ts';

export interface NewPasswordErrors {
  password?: string;
  confirmation?: string;
}

/** The rules sign-up applies (same limits and messages), plus the repeat matching. */
export function validateNewPassword(password: string, confirmation: string): NewPasswordErrors {
  const errors: NewPasswordErrors = {};
  if (password === '') errors.password = 'Choose a password.';
  else if (password.length < MIN_PASSWORD_LENGTH) errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  else if (new TextEncoder().encode(password).length > MAX_PASSWORD_LENGTH) errors.password = `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (confirmation === '') errors.confirmation = 'Enter the new password again.';
  else if (confirmation !== password) errors.confirmation = 'The two passwords do not match.';
  return errors;
}
