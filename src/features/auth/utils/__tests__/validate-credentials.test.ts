import { describe, expect, it } from 'vitest';
import { normalizeCredentials, validateCredentials } from '../validate-credentials.ts';

describe('validateCredentials', () => {
  it('accepts a well-formed email and password in both modes', () => {
    expect(validateCredentials('sign-in', { email: 'ada@example.com', password: 'x' })).toEqual({});
    expect(validateCredentials('sign-up', { email: ' ada@example.com ', password: 'secret' })).toEqual({});
  });

  it('asks for missing fields with mode-specific wording', () => {
    expect(validateCredentials('sign-in', { email: '  ', password: '' })).toEqual({
      email: 'Enter your email address.',
      password: 'Enter your password.',
    });
    expect(validateCredentials('sign-up', { email: '', password: '' })).toEqual({
      email: 'Enter your email address.',
      password: 'Choose a password.',
    });
  });

  it('rejects emails without a local part, an @ or a domain with a dot', () => {
    for (const email of ['ada', 'ada@', '@example.com', 'ada@example', 'a da@example.com']) {
      expect(validateCredentials('sign-in', { email, password: 'x' })).toEqual({ email: 'Enter an email address like name@example.com.' });
    }
  });

  it('enforces the password length on sign-up only', () => {
    expect(validateCredentials('sign-up', { email: 'ada@example.com', password: '12345' })).toEqual({ password: 'Use at least 6 characters.' });
    expect(validateCredentials('sign-in', { email: 'ada@example.com', password: '12345' })).toEqual({});
    expect(validateCredentials('sign-up', { email: 'ada@example.com', password: '1'.repeat(72) })).toEqual({});
    expect(validateCredentials('sign-up', { email: 'ada@example.com', password: '1'.repeat(73) })).toEqual({ password: 'Use at most 72 characters.' });
  });

  it('counts the 72-character limit in bytes, as bcrypt does', () => {
    // 36 two-byte characters are 72 bytes; 37 are 74.
    expect(validateCredentials('sign-up', { email: 'ada@example.com', password: 'é'.repeat(36) })).toEqual({});
    expect(validateCredentials('sign-up', { email: 'ada@example.com', password: 'é'.repeat(37) })).toEqual({ password: 'Use at most 72 characters.' });
  });
});

describe('normalizeCredentials', () => {
  it('trims the email but never the password', () => {
    expect(normalizeCredentials({ email: '  ada@example.com\n', password: ' pass ' })).toEqual({ email: 'ada@example.com', password: ' pass ' });
  });
});
