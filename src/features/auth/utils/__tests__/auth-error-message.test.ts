import { describe, expect, it } from 'vitest';
import { AuthApiError, AuthRetryableFetchError, AuthWeakPasswordError, PostgrestError } from '@supabase/supabase-js';
import { authErrorMessage } from '../auth-error-message.ts';

describe('authErrorMessage', () => {
  it('maps wrong credentials to a form-level message that does not say which part was wrong', () => {
    expect(authErrorMessage(new AuthApiError('Invalid login credentials', 400, 'invalid_credentials'))).toEqual({
      message: 'Wrong email or password.',
    });
  });

  it('puts an existing account on the email field', () => {
    const expected = { field: 'email', message: 'An account with this email already exists. Sign in instead.' };
    expect(authErrorMessage(new AuthApiError('User already registered', 422, 'user_already_exists'))).toEqual(expected);
    expect(authErrorMessage(new AuthApiError('Email address already exists', 422, 'email_exists'))).toEqual(expected);
  });

  it("shows GoTrue's weak-password message on the password field", () => {
    expect(authErrorMessage(new AuthWeakPasswordError('Password should be at least 6 characters.', 422, ['length']))).toEqual({
      field: 'password',
      message: 'Password should be at least 6 characters.',
    });
  });

  it('explains weak-password reasons when the server sent no message', () => {
    expect(authErrorMessage(new AuthWeakPasswordError('', 422, ['characters', 'pwned']))).toEqual({
      field: 'password',
      message: 'Mix letters, digits and symbols in the password. This password appeared in a data breach; choose another one.',
    });
  });

  it('tells a network failure from a server outage', () => {
    expect(authErrorMessage(new AuthRetryableFetchError('Failed to fetch', 0))).toEqual({
      message: 'Cannot reach the server. Check your connection and try again.',
    });
    expect(authErrorMessage(new AuthRetryableFetchError('{}', 503))).toEqual({
      message: 'The server is not available right now (HTTP 503). Try again in a moment.',
    });
  });

  it('maps rate limits and unconfirmed emails', () => {
    expect(authErrorMessage(new AuthApiError('Request rate limit reached', 429, 'over_request_rate_limit'))).toEqual({
      message: 'Too many attempts. Wait a few minutes and try again.',
    });
    // A 429 from a proxy or an older Auth server, without GoTrue's code, reads the same.
    expect(authErrorMessage(new AuthApiError('Too Many Requests', 429, undefined))).toEqual({
      message: 'Too many attempts. Wait a few minutes and try again.',
    });
    expect(authErrorMessage(new AuthApiError('Email not confirmed', 400, 'email_not_confirmed')).message).toBe(
      'Confirm your email address first: follow the link we sent you.',
    );
  });

  it("falls back to the server's message for codes it does not know", () => {
    expect(authErrorMessage(new AuthApiError('Unable to validate email address: invalid format', 400, 'validation_failed'))).toEqual({
      message: 'Unable to validate email address: invalid format',
    });
  });

  it('never leaks the text of errors that are not from Auth', () => {
    const error = new PostgrestError({ message: 'relation "secret" does not exist', details: '', hint: '', code: '42P01' });
    expect(authErrorMessage(error)).toEqual({ message: 'Something went wrong. Try again.' });
    expect(authErrorMessage(new TypeError('x is undefined'))).toEqual({ message: 'Something went wrong. Try again.' });
  });
});

describe('authErrorMessage: reset, password change and two-factor codes', () => {
  it('puts a wrong or expired authenticator code on the code field', () => {
    expect(authErrorMessage(new AuthApiError('Invalid TOTP code entered', 422, 'mfa_verification_failed'))).toEqual({
      field: 'code',
      message: 'That code is wrong or has expired. Codes change every 30 seconds: enter the one your app shows now.',
    });
    expect(authErrorMessage(new AuthApiError('Challenge expired', 422, 'mfa_challenge_expired'))).toMatchObject({ field: 'code' });
  });

  it('puts a wrong reauthentication code on the code field and a reused password on the password field', () => {
    expect(authErrorMessage(new AuthApiError('Requested nonce is invalid', 400, 'reauthentication_not_valid'))).toMatchObject({ field: 'code' });
    expect(authErrorMessage(new AuthApiError('New password should be different from the old password.', 422, 'same_password'))).toEqual({
      field: 'password',
      message: 'Choose a password different from your current one.',
    });
  });

  it('explains that a step needs the second factor first', () => {
    expect(authErrorMessage(new AuthApiError('AAL2 required', 403, 'insufficient_aal')).message).toBe(
      'Enter a code from your authenticator app first: this needs two-factor sign-in.',
    );
  });
});
