import { describe, expect, it } from 'vitest';
import { validateNewPassword } from '../validate-new-password.ts';

describe('validateNewPassword', () => {
  it('uses the sign-up rules and messages', () => {
    expect(validateNewPassword('', '')).toEqual({ password: 'Choose a password.', confirmation: 'Enter the new password again.' });
    expect(validateNewPassword('12345', '12345').password).toBe('Use at least 6 characters.');
    expect(validateNewPassword('x'.repeat(73), 'x'.repeat(73)).password).toBe('Use at most 72 characters.');
  });

  it('counts bytes for the upper limit, as bcrypt does (24 three-byte characters are 72 bytes, 25 are too many)', () => {
    expect(validateNewPassword('€'.repeat(24), '€'.repeat(24))).toEqual({});
    expect(validateNewPassword('€'.repeat(25), '€'.repeat(25)).password).toBe('Use at most 72 characters.');
  });

  it('wants the same password twice', () => {
    expect(validateNewPassword('new-password', 'new-passwort')).toEqual({ confirmation: 'The two passwords do not match.' });
    expect(validateNewPassword('new-password', 'new-password')).toEqual({});
  });
});
