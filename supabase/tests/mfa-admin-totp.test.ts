// The admin health data through the real stack's Auth and REST with supabase-js: an admin who
// enrolled and verified a TOTP factor (codes computed from the secret) reads it only from the
// aal2 session; a password-only sign-in (aal1) gets 403 mfa_required.
import { expect, it } from 'vitest';
import { totpCode } from '../../stack/auth/totp.ts';
import { PASSWORD, signedUpUser } from '../../stack/tests/auth-support.ts';
import { anonClient, serviceClient } from '../../stack/tests/support.ts';

const aalOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).aal as string;
const health = (client: ReturnType<typeof anonClient>) => client.rpc('admin_health', { range_seconds: 300, step_seconds: 300 });

it('an admin with a verified TOTP factor cannot read the health data at aal1, and can at aal2', async () => {
  const { email, session } = await signedUpUser('mfa-admin');
  const promoted = await serviceClient().auth.admin.updateUserById(session.user.id, { app_metadata: { role: 'admin' } });
  expect(promoted.error).toBeNull();

  const admin = anonClient();
  expect((await admin.auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  // No factor yet: an admin at aal1 reads.
  expect((await health(admin)).error).toBeNull();

  const enrolled = await admin.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone' });
  expect(enrolled.error).toBeNull();
  // An unverified factor does not count.
  expect((await health(admin)).error).toBeNull();
  const verified = await admin.auth.mfa.challengeAndVerify({ factorId: enrolled.data!.id, code: totpCode(enrolled.data!.totp.secret) });
  expect(verified.error).toBeNull();
  expect(aalOf(verified.data!.access_token)).toBe('aal2');
  const atAal2 = await health(admin);
  expect(atAal2.error).toBeNull();
  expect(Array.isArray(atAal2.data)).toBe(true);

  // Another device, password only: aal1.
  const other = anonClient();
  const signIn = await other.auth.signInWithPassword({ email, password: PASSWORD });
  expect(aalOf(signIn.data.session!.access_token)).toBe('aal1');
  const refused = await health(other);
  expect({ data: refused.data, code: refused.error?.code, status: refused.status }).toEqual({ data: null, code: 'mfa_required', status: 403 });
  const vendors = await other.from('vendors').select('id');
  expect(vendors.data).toEqual([]);
});
