import { badRequest } from './errors.ts';

// badoux/checkmail's ValidateFormat, which GoTrue uses (the HTML5 "valid e-mail address" pattern).
const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const E164 = /^[1-9][0-9]{1,14}$/;

/** GoTrue's validateEmail: required, at most 255 bytes, checkmail format; returns it lower-cased. */
export function validateEmail(email: string): string {
  if (email === '') throw badRequest('validation_failed', 'An email address is required');
  if (Buffer.byteLength(email) > 255) throw badRequest('validation_failed', 'An email address is too long');
  if (!EMAIL_FORMAT.test(email)) throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  return email.toLowerCase();
}

/** GoTrue's formatPhoneNumber: drops a leading `+` and spaces. */
export const formatPhone = (phone: string) => phone.replace(/^\+/, '').replaceAll(' ', '');

export function validatePhone(phone: string): string {
  const formatted = formatPhone(phone);
  if (!E164.test(formatted)) throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)');
  return formatted;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);
