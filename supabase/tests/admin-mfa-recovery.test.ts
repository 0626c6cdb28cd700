import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { anonClient, clientWithToken, db, tokenFor } from '../../stack/tests/support.ts';
import { createAdmin, createUser, type TestUser } from './helpers/fixtures.ts';

// Recovery of a lost second factor (migration 20261202005200): platform admins look a user's
// factors up by email and remove them, over REST with supabase-js as the admin page does.

async function addFactor(userId: string, status: 'verified' | 'unverified' = 'verified'): Promise<string> {
  const id = randomUUID();
  await db().query(
    `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
     values ($1, $2, $3, 'totp', $4, now(), now(), 'JBSWY3DPEHPK3PXP')`,
    [id, userId, `app ${id.slice(0, 8)}`, status],
  );
  await db().query(`insert into auth.mfa_challenges (id, factor_id, created_at, ip_address) values ($1, $2, now(), '127.0.0.1')`, [randomUUID(), id]);
  return id;
}

const factorCount = async (userId: string) => Number((await db().query<{ n: string }>('select count(*) as n from auth.mfa_factors where user_id = $1', [userId])).rows[0]!.n);

/** The same admin with an aal2 token, as after signing in with their authenticator code. */
function atAal2(admin: TestUser): SupabaseClient {
  return clientWithToken(tokenFor({ sub: admin.id, email: admin.email, app_metadata: { provider: 'email', role: 'admin' }, user_metadata: {}, session_id: randomUUID(), aal: 'aal2', amr: [{ method: 'totp', timestamp: 1 }] }));
}

describe('admin_user_factors', () => {
  it('shows an admin the account with its factors, case-insensitively; one row of nulls without factors; nothing for an unknown email', async () => {
    const [admin, user, plain] = await Promise.all([createAdmin(), createUser(), createUser()]);
    const verified = await addFactor(user.id);
    const pending = await addFactor(user.id, 'unverified');

    const found = await admin.client.rpc('admin_user_factors', { p_email: ` ${user.email.toUpperCase()} ` });
    expect(found.error).toBeNull();
    expect(found.data).toHaveLength(2);
    const rows = found.data as Array<{ user_id: string; email: string; factor_id: string; factor_type: string; status: string }>;
    expect(new Map(rows.map((r) => [r.factor_id, r.status]))).toEqual(new Map([[verified, 'verified'], [pending, 'unverified']]));
    expect(rows.every((r) => r.user_id === user.id && r.email === user.email && r.factor_type === 'totp')).toBe(true);

    const none = await admin.client.rpc('admin_user_factors', { p_email: plain.email });
    expect(none.data).toEqual([{ user_id: plain.id, email: plain.email, factor_id: null, factor_type: null, friendly_name: null, status: null, created_at: null }]);

    const unknown = await admin.client.rpc('admin_user_factors', { p_email: `nobody-${randomUUID()}@example.test` });
    expect(unknown.data).toEqual([]);
  });

  it('refuses non-admins (403 admin_required), anon (401) and an empty email (400 invalid_argument)', async () => {
    const [admin, user] = await Promise.all([createAdmin(), createUser()]);
    const refused = await user.client.rpc('admin_user_factors', { p_email: admin.email });
    expect(refused.status).toBe(403);
    expect(refused.error).toMatchObject({ code: 'admin_required', message: "Only platform admins can manage other users' sign-in" });
    const anon = await anonClient().rpc('admin_user_factors', { p_email: admin.email });
    expect(anon.status).toBe(401);
    const empty = await admin.client.rpc('admin_user_factors', { p_email: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.error).toMatchObject({ code: 'invalid_argument' });
  });
});

describe('admin_remove_user_factors', () => {
  it('removes every factor of the user (and their challenges) for an admin at aal2, and answers how many', async () => {
    const [admin, user, other] = await Promise.all([createAdmin(), createUser(), createUser()]);
    await addFactor(user.id);
    await addFactor(user.id, 'unverified');
    await addFactor(other.id);

    const { data, error } = await atAal2(admin).rpc('admin_remove_user_factors', { p_user_id: user.id });
    expect(error).toBeNull();
    expect(data).toBe(2);
    expect(await factorCount(user.id)).toBe(0);
    expect(await factorCount(other.id)).toBe(1);
    const challenges = await db().query('select 1 from auth.mfa_challenges c left join auth.mfa_factors f on f.id = c.factor_id where f.id is null');
    expect(challenges.rowCount).toBe(0);

    const again = await atAal2(admin).rpc('admin_remove_user_factors', { p_user_id: user.id });
    expect(again.data).toBe(0);
  });

  it('refuses an admin at aal1 (403 aal2_required), a non-admin even at aal2 (403 admin_required), anon (401), and changes nothing', async () => {
    const [admin, user] = await Promise.all([createAdmin(), createUser()]);
    await addFactor(user.id);

    const aal1 = await admin.client.rpc('admin_remove_user_factors', { p_user_id: user.id });
    expect(aal1.status).toBe(403);
    expect(aal1.error).toMatchObject({ code: 'aal2_required', hint: 'Set up an authenticator app on your account and sign in with its code.' });

    const notAdmin = clientWithToken(tokenFor({ sub: user.id, app_metadata: { provider: 'email' }, aal: 'aal2' }));
    const refused = await notAdmin.rpc('admin_remove_user_factors', { p_user_id: user.id });
    expect(refused.status).toBe(403);
    expect(refused.error).toMatchObject({ code: 'admin_required' });

    const anon = await anonClient().rpc('admin_remove_user_factors', { p_user_id: user.id });
    expect(anon.status).toBe(401);
    expect(await factorCount(user.id)).toBe(1);
  });

  it('answers 404 user_not_found for an unknown user id', async () => {
    const admin = await createAdmin();
    const { status, error } = await atAal2(admin).rpc('admin_remove_user_factors', { p_user_id: randomUUID() });
    expect(status).toBe(404);
    expect(error).toMatchObject({ code: 'user_not_found' });
  });
});
