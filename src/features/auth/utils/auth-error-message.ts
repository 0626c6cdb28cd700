import { isAuthError, isAuthRetryableFetchError, isAuthWeakPasswordError, type WeakPasswordReasons } from '@supabase/supabase-js';

export interface AuthErrorMessage {
  message: string;
  /** The form field the error belongs to; absent for errors about the whole form. */
  field?: 'email' | 'password' | 'code';
}

const weakPasswordReasons: Record<WeakPasswordReasons, string> = {
  length: 'The password is too short.',
  characters: 'Mix letters, digits and symbols in the password.',
  pwned: 'This password appeared in a data breach; choose another one.',
};

/** GoTrue's per-IP limits refill over 5 minutes ([auth.rate_limit] in supabase/config.toml). */
const TOO_MANY_ATTEMPTS = 'Too many attempts. Wait a few minutes and try again.';

/** GoTrue error codes (supabase/auth internal/api/errorcodes.go) as messages a user can act on. */
const byCode: Record<string, AuthErrorMessage> = {
  invalid_credentials: { message: 'Wrong email or password.' },
  user_already_exists: { field: 'email', message: 'An account with this email already exists. Sign in instead.' },
  email_exists: { field: 'email', message: 'An account with this email already exists. Sign in instead.' },
  email_address_invalid: { field: 'email', message: 'This email address cannot be used. Check it for typos.' },
  email_address_not_authorized: { field: 'email', message: 'This email address is not allowed to sign up.' },
  email_not_confirmed: { message: 'Confirm your email address first: follow the link we sent you.' },
  user_banned: { message: 'This account is suspended. Contact an administrator.' },
  signup_disabled: { message: 'Sign-ups are turned off for this project.' },
  email_provider_disabled: { message: 'Signing in with email is turned off for this project.' },
  over_request_rate_limit: { message: TOO_MANY_ATTEMPTS },
  over_email_send_rate_limit: { message: 'Too many emails sent. Wait a minute and try again.' },
  request_timeout: { message: 'The server took too long to answer. Try again.' },
  // Password reset, password change and two-factor (issue 12).
  same_password: { field: 'password', message: 'Choose a password different from your current one.' },
  reauthentication_needed: { message: 'Confirm it is you: enter the code we email you.' },
  reauthentication_not_valid: { field: 'code', message: 'That code is wrong or has expired. Enter the code from the latest email, or send a new one.' },
  otp_expired: { field: 'code', message: 'That code has expired. Send a new one.' },
  mfa_verification_failed: { field: 'code', message: 'That code is wrong or has expired. Codes change every 30 seconds: enter the one your app shows now.' },
  mfa_challenge_expired: { field: 'code', message: 'That code has expired. Enter the one your app shows now.' },
  mfa_verification_rejected: { field: 'code', message: 'That code was refused. Enter the one your app shows now.' },
  mfa_factor_not_found: { message: 'This authenticator is no longer on your account. Reload the page.' },
  insufficient_aal: { message: 'Enter a code from your authenticator app first: this needs two-factor sign-in.' },
  too_many_enrolled_mfa_factors: { message: 'Your account has the most authenticators it can have. Remove one first.' },
  mfa_factor_name_conflict: { message: 'An authenticator with this name is already on your account.' },
  mfa_totp_enroll_not_enabled: { message: 'Two-factor sign-in with an authenticator app is turned off for this project.' },
  mfa_totp_verify_not_enabled: { message: 'Two-factor sign-in with an authenticator app is turned off for this project.' },
  session_not_found: { message: 'Your session has ended. Sign in again.' },
};

export function authErrorMessage(error: unknown): AuthErrorMessage {
  if (isAuthWeakPasswordError(error)) {
    // GoTrue's own message names the rule ("Password should be at least 6 characters.").
    const message = error.message || error.reasons.map((reason) => weakPasswordReasons[reason]).join(' ') || 'Choose a stronger password.';
    return { field: 'password', message };
  }
  if (isAuthRetryableFetchError(error)) {
    return error.status
      ? { message: `The server is not available right now (HTTP ${error.status}). Try again in a moment.` }
      : { message: 'Cannot reach the server. Check your connection and try again.' };
  }
  if (isAuthError(error)) {
    const known = error.code ? byCode[error.code] : undefined;
    if (!known && error.status === 429) return { message: TOO_MANY_ATTEMPTS };
    return known ?? { message: error.message || 'Something went wrong. Try again.' };
  }
  return { message: 'Something went wrong. Try again.' };
}
