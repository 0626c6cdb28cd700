/** Authenticator apps show codes as "123 456"; people paste them with spaces or dashes. */
export function normalizeTotpCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The message for a code the browser can already tell is wrong, else undefined. */
export function totpCodeError(input: string): string | undefined {
  const code = normalizeTotpCode(input);
  if (code === '') return 'Enter the 6-digit code from your authenticator app.';
  if (!/^\d{6}$/.test(code)) return 'The code is 6 digits, like 123456.';
  return undefined;
}

/** The code emailed by reauthenticate(): GoTrue's OTP length defaults to 6 digits (config `otp_length`, 6–10). */
export function emailCodeError(input: string): string | undefined {
  const code = normalizeTotpCode(input);
  if (code === '') return 'Enter the code from the email we sent you.';
  if (!/^\d{6,10}$/.test(code)) return 'The code is the 6-digit number in the email.';
  return undefined;
}
