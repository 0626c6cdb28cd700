import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { addMember, createAdmin, createTenant, createUser, newKey, type TestUser } from './helpers/fixtures.ts';
import { apiError, asCaller, rpc, rpcRows, serviceCaller, type Caller } from './helpers/sql.ts';

interface Invitation {
  id: string;
  vendor_id: string;
  email: string;
  role: string;
  expires_at: string;
  token: string;
}

const invite = (caller: Caller, vendorId: string, email: string, role = 'staff', key = newKey()) =>
  rpc<Invitation>(caller, 'create_invitation', { vendor_id: vendorId, email, role, idempotency_key: key });
const accept = (who: TestUser, token: string, key = newKey()) =>
  rpc<{ vendor_id: string; vendor_name: string; role: string }>(who.caller, 'accept_invitation', { token, idempotency_key: key });
const codeOf = async (promise: Promise<unknown>) => {
  const err = await apiError(promise);
  return { code: err.code, status: err.status };
};
const roleOf = async (vendorId: string, userId: string) =>
  (await db().query<{ role: string }>('select role from public.vendor_members where vendor_id = $1 and user_id = $2', [vendorId, userId])).rows[0]?.role ?? null;

describe('invitations', () => {
  it('an owner invites an email; that user accepts once and becomes a member with the role', async () => {
    const t = await createTenant();
    const invitee = await createUser();
    const { data: inv } = await invite(t.owner.caller, t.vendorId, `  ${invitee.email.toUpperCase()} `);
    expect(inv).toMatchObject({ vendor_id: t.vendorId, email: invitee.email, role: 'staff' });
    expect(inv.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const days = (Date.parse(inv.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const [looked] = await rpcRows(invitee.caller, 'lookup_invitation', { token: inv.token });
    expect(looked).toMatchObject({ vendor_id: t.vendorId, role: 'staff', email: invitee.email, status: 'pending', email_matches: true, email_verified: true, already_member: false });

    const { data } = await accept(invitee, inv.token);
    expect(data).toMatchObject({ vendor_id: t.vendorId, role: 'staff' });
    expect(await roleOf(t.vendorId, invitee.id)).toBe('staff');
    expect(await codeOf(accept(invitee, inv.token))).toEqual({ code: 'invitation_used', status: 409 });
    const [after] = await rpcRows(invitee.caller, 'lookup_invitation', { token: inv.token });
    expect(after).toMatchObject({ status: 'accepted', already_member: true });
  });

  it('stores only a hash of the token: no role can read the token or its hash', async () => {
    const t = await createTenant();
    const { data: inv } = await invite(t.owner.caller, t.vendorId, 'hash-check@example.test');
    const { rows } = await db().query<{ token_hash: Buffer }>('select token_hash from public.vendor_invitations where id = $1', [inv.id]);
    expect(rows[0]!.token_hash.toString('hex')).not.toContain(Buffer.from(inv.token).toString('hex'));
    expect(JSON.stringify(rows)).not.toContain(inv.token);
    for (const caller of [t.owner.caller, (await createAdmin()).caller]) {
      const err = await apiError(asCaller(caller, (c) => c.query('select token_hash from public.vendor_invitations where id = $1', [inv.id])));
      expect([err.code, err.message]).toEqual(['42501', 'permission denied for table vendor_invitations']);
    }
  });

  it("the invitee's verified email must match, case-insensitively", async () => {
    const t = await createTenant();
    const invitee = await createUser();
    const stranger = await createUser();
    const { data: inv } = await invite(t.owner.caller, t.vendorId, invitee.email);
    const [looked] = await rpcRows(stranger.caller, 'lookup_invitation', { token: inv.token });
    expect(looked).toMatchObject({ email_matches: false, status: 'pending' });
    expect(await codeOf(accept(stranger, inv.token))).toEqual({ code: 'email_mismatch', status: 403 });
    expect(await roleOf(t.vendorId, stranger.id)).toBeNull();

    await db().query('update auth.users set email = upper(email), email_confirmed_at = null where id = $1', [invitee.id]);
    expect(await codeOf(accept(invitee, inv.token))).toEqual({ code: 'email_not_verified', status: 403 });
    await db().query('update auth.users set email_confirmed_at = now() where id = $1', [invitee.id]);
    expect((await accept(invitee, inv.token)).data.role).toBe('staff');
  });

  it('revoked, expired, unknown and malformed tokens get clear codes, and nothing changes', async () => {
    const t = await createTenant();
    const invitee = await createUser();
    const { data: revoked } = await invite(t.owner.caller, t.vendorId, invitee.email);
    const { data: revokedRow } = await rpc<{ revoked_at: string }>(t.owner.caller, 'revoke_invitation', { invitation_id: revoked.id, idempotency_key: newKey() });
    expect(revokedRow.revoked_at).toBeTruthy();
    expect(await codeOf(accept(invitee, revoked.token))).toEqual({ code: 'invitation_revoked', status: 410 });

    const { data: expired } = await invite(t.owner.caller, t.vendorId, invitee.email);
    await db().query(`update public.vendor_invitations set expires_at = now() - interval '1 second' where id = $1`, [expired.id]);
    expect(await codeOf(accept(invitee, expired.token))).toEqual({ code: 'invitation_expired', status: 410 });
    const [looked] = await rpcRows(invitee.caller, 'lookup_invitation', { token: expired.token });
    expect(looked).toMatchObject({ status: 'expired' });

    expect(await codeOf(accept(invitee, 'A'.repeat(43)))).toEqual({ code: 'invitation_not_found', status: 404 });
    expect(await codeOf(accept(invitee, 'bad token!'))).toEqual({ code: 'invitation_not_found', status: 404 });
    expect(await codeOf(rpcRows(invitee.caller, 'lookup_invitation', {}))).toEqual({ code: 'invitation_not_found', status: 404 });
    expect(await roleOf(t.vendorId, invitee.id)).toBeNull();
  });

  it('a new invitation for the same email replaces the pending one', async () => {
    const t = await createTenant();
    const invitee = await createUser();
    const { data: first } = await invite(t.owner.caller, t.vendorId, invitee.email);
    const { data: second } = await invite(t.owner.caller, t.vendorId, invitee.email, 'owner');
    expect(await codeOf(accept(invitee, first.token))).toEqual({ code: 'invitation_revoked', status: 410 });
    expect((await accept(invitee, second.token)).data.role).toBe('owner');
  });

  it('create_invitation replays under its key; other arguments with that key are refused', async () => {
    const t = await createTenant();
    const key = newKey();
    const first = await invite(t.owner.caller, t.vendorId, 'replay@example.test', 'staff', key);
    const again = await invite(t.owner.caller, t.vendorId, 'replay@example.test', 'staff', key);
    expect(again.data).toEqual(first.data);
    expect(again.headers['Idempotent-Replayed']).toBe('true');
    const { rows } = await db().query('select count(*)::int as n from public.vendor_invitations where vendor_id = $1', [t.vendorId]);
    expect(rows[0].n).toBe(1);
    expect(await codeOf(invite(t.owner.caller, t.vendorId, 'other@example.test', 'staff', key))).toEqual({ code: 'idempotency_key_reused', status: 422 });
  });

  it('validates its arguments; a member cannot be invited again', async () => {
    const t = await createTenant();
    const staff = await addMember(t.vendorId, 'staff');
    expect(await codeOf(invite(t.owner.caller, t.vendorId, 'not-an-email'))).toEqual({ code: 'invalid_argument', status: 400 });
    expect(await codeOf(invite(t.owner.caller, t.vendorId, 'x@example.test', 'admin'))).toEqual({ code: 'invalid_argument', status: 400 });
    expect(await codeOf(rpc(t.owner.caller, 'create_invitation', { vendor_id: t.vendorId, email: 'x@example.test' }))).toEqual({ code: 'idempotency_key_required', status: 400 });
    expect(await codeOf(invite(t.owner.caller, t.vendorId, staff.email.toUpperCase()))).toEqual({ code: 'already_member', status: 409 });
  });

  it('a member who accepts an invitation to their own vendor gets already_member', async () => {
    const t = await createTenant();
    const invitee = await createUser();
    const { data: inv } = await invite(t.owner.caller, t.vendorId, invitee.email);
    await db().query(`insert into public.vendor_members (vendor_id, user_id, role) values ($1, $2, 'staff')`, [t.vendorId, invitee.id]);
    expect(await codeOf(accept(invitee, inv.token))).toEqual({ code: 'already_member', status: 409 });
  });

  it('only owners manage: staff, shoppers, other vendors and admins get owner_required', async () => {
    const t = await createTenant();
    const other = await createTenant();
    const staff = await addMember(t.vendorId, 'staff');
    const { data: inv } = await invite(t.owner.caller, t.vendorId, 'pending@example.test');
    for (const caller of [staff.caller, (await createUser()).caller, other.owner.caller, (await createAdmin()).caller]) {
      expect(await codeOf(invite(caller, t.vendorId, 'x@example.test'))).toEqual({ code: 'owner_required', status: 403 });
      expect(await codeOf(rpc(caller, 'revoke_invitation', { invitation_id: inv.id, idempotency_key: newKey() }))).toEqual({ code: 'owner_required', status: 403 });
      expect(await codeOf(rpc(caller, 'set_member_role', { vendor_id: t.vendorId, user_id: staff.id, role: 'owner', idempotency_key: newKey() }))).toEqual({ code: 'owner_required', status: 403 });
      expect(await codeOf(rpc(caller, 'remove_member', { vendor_id: t.vendorId, user_id: t.owner.id, idempotency_key: newKey() }))).toEqual({ code: 'owner_required', status: 403 });
    }
    expect(await codeOf(rpc(t.owner.caller, 'revoke_invitation', { invitation_id: '00000000-0000-4000-8000-000000000000', idempotency_key: newKey() }))).toEqual({ code: 'owner_required', status: 403 });
    expect(await roleOf(t.vendorId, staff.id)).toBe('staff');
    // The service role acts for the platform.
    expect((await invite(serviceCaller, t.vendorId, 'platform@example.test')).data.email).toBe('platform@example.test');
  });
});

describe('team management', () => {
  it("an owner changes a member's role and removes members, never the last owner", async () => {
    const t = await createTenant();
    const staff = await addMember(t.vendorId, 'staff');
    const setRole = (who: Caller, userId: string, role: string) => rpc(who, 'set_member_role', { vendor_id: t.vendorId, user_id: userId, role, idempotency_key: newKey() });
    const remove = (who: Caller, userId: string) => rpc(who, 'remove_member', { vendor_id: t.vendorId, user_id: userId, idempotency_key: newKey() });

    expect(await codeOf(setRole(t.owner.caller, t.owner.id, 'staff'))).toEqual({ code: 'last_owner', status: 409 });
    expect(await codeOf(remove(t.owner.caller, t.owner.id))).toEqual({ code: 'last_owner', status: 409 });
    expect(await codeOf(setRole(t.owner.caller, (await createUser()).id, 'staff'))).toEqual({ code: 'member_not_found', status: 404 });

    await setRole(t.owner.caller, staff.id, 'owner');
    expect(await roleOf(t.vendorId, staff.id)).toBe('owner');
    // Now two owners: the first may step down, or leave.
    await setRole(t.owner.caller, t.owner.id, 'staff');
    expect(await roleOf(t.vendorId, t.owner.id)).toBe('staff');
    expect(await codeOf(setRole(t.owner.caller, t.owner.id, 'owner'))).toEqual({ code: 'owner_required', status: 403 });
    await remove(staff.caller, t.owner.id);
    expect(await roleOf(t.vendorId, t.owner.id)).toBeNull();
    expect(await codeOf(remove(staff.caller, staff.id))).toEqual({ code: 'last_owner', status: 409 });
  });

  it('staff may leave; two owners demoting each other at once leave one owner', async () => {
    const t = await createTenant();
    const staff = await addMember(t.vendorId, 'staff');
    await rpc(staff.caller, 'remove_member', { vendor_id: t.vendorId, user_id: staff.id, idempotency_key: newKey() });
    expect(await roleOf(t.vendorId, staff.id)).toBeNull();

    const second = await addMember(t.vendorId, 'owner');
    const results = await Promise.allSettled([
      rpc(t.owner.caller, 'set_member_role', { vendor_id: t.vendorId, user_id: second.id, role: 'staff', idempotency_key: newKey() }),
      rpc(second.caller, 'set_member_role', { vendor_id: t.vendorId, user_id: t.owner.id, role: 'staff', idempotency_key: newKey() }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const { rows } = await db().query(`select count(*)::int as n from public.vendor_members where vendor_id = $1 and role = 'owner'`, [t.vendorId]);
    expect(rows[0].n).toBe(1);
  });

  it('one token accepted twice at once joins once', async () => {
    const t = await createTenant();
    const invitee = await createUser();
    const { data: inv } = await invite(t.owner.caller, t.vendorId, invitee.email);
    const results = await Promise.allSettled([accept(invitee, inv.token), accept(invitee, inv.token)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as { code: string }).code).toBe('invitation_used');
  });
});
