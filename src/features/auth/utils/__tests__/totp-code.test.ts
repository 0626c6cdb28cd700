import { describe, expect, it } from 'vitest';
import { emailCodeError, normalizeTotpCode, totpCodeError } from '../totp-code.ts';

describe('one-time codes', () => {
  it('drops the spaces and dashes apps and mails show codes with', () => {
    expect(normalizeTotpCode(' 123 456 ')).toBe('123456');
    expect(normalizeTotpCode('123-456')).toBe('123456');
  });

  it('an authenticator code is exactly 6 digits', () => {
    expect(totpCodeError('')).toBe('Enter the 6-digit code from your authenticator app.');
    expect(totpCodeError('12345')).toBe('The code is 6 digits, like 123456.');
    expect(totpCodeError('12345a')).toBe('The code is 6 digits, like 123456.');
    expect(totpCodeError('123 456')).toBeUndefined();
  });

  it("an emailed code is GoTrue's otp_length: 6 to 10 digits", () => {
    expect(emailCodeError(' ')).toBe('Enter the code from the email we sent you.');
    expect(emailCodeError('12345')).toBe('The code is the 6-digit number in the email.');
    expect(emailCodeError('123456')).toBeUndefined();
    expect(emailCodeError('1234567890')).toBeUndefined();
  });
});
