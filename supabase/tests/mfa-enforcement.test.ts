import { describe, expect, it } from 'vitest';
import { clientWithToken, db, tokenFor } from '../../stack/tests/support.ts';
import { addMember, createAdmin, createTenant, createUser, newKey, restock, type TestUser } from './helpers/fixtures.ts';
import { apiError, asCaller, rpc, rpcRows, type Caller } from './helpers/sql.ts';

// Two-factor in the database: admins with a verified factor need an aal2 session for monitoring
// and admin reads; a vendor requiring two-factor lets its members act only from aal2 sessions.

async function addFactor(userId: string, status: 'verified' | 'unverified' = 'verified'): Promise<void> {
  await db().query(
    `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
     values (gen_random_uuid(), $1, 'Authenticator ' || $2, 'totp', $2::auth.factor_status, now(), now(), 'JBSWY3DPEHPK3PXP')`,
    [userId, status],
  );
}

const atLevel = (caller: Caller, aal: 'aal1' | 'aal2'): Caller => ({ ...caller, claims: { ...caller.claims, aal } });
const codeOf = async (promise: Promise<unknown>) => {
  const err = await apiError(promise);
  return { code: err.code, status: err.status };
};
const visibleVendorIds = (caller: Caller, ids: string[]) =>
  asCaller(caller, async (c) => (await c.query<{ id: string }>('select id from public.vendors where id = any ($1::uuid[]) order by id', [ids])).rows.map((r) => r.id));

describe('admins with a verified factor', () => {
  it('read monitoring data and every tenant only from an aal2 session', async () => {
    const admin = await createAdmin();
    const t = await createTenant();
    await addFactor(admin.id);
    expect(await codeOf(rpcRows(atLevel(admin.caller, 'aal1'), 'admin_health_model'))).toEqual({ code: 'mfa_required', status: 403 });
    expect(await codeOf(rpcRows(atLevel(admin.caller, 'aal1'), 'admin_alerts'))).toEqual({ code: 'mfa_required', status: 403 });
    expect(await codeOf(rpcRows(admin.caller, 'admin_recent_errors'))).toEqual({ code: 'mfa_required', status: 403 });
    expect(await visibleVendorIds(atLevel(admin.caller, 'aal1'), [t.vendorId])).toEqual([]);
    expect(await rpcRows(atLevel(admin.caller, 'aal1'), 'vendor_team', { vendor_id: t.vendorId })).toEqual([]);

    expect((await rpcRows(atLevel(admin.caller, 'aal2'), 'admin_health_model')).length).toBeGreaterThan(0);
    expect(await visibleVendorIds(atLevel(admin.caller, 'aal2'), [t.vendorId])).toEqual([t.vendorId]);
  });

  it('an admin without a verified factor (none, or only an unverified one) is unaffected at aal1', async () => {
    const plain = await createAdmin();
    const enrolling = await createAdmin();
    await addFactor(enrolling.id, 'unverified');
    for (const admin of [plain, enrolling]) expect((await rpcRows(atLevel(admin.caller, 'aal1'), 'admin_health_model')).length).toBeGreaterThan(0);
    // Non-admins still get admin_required, factor or not.
    const user = await createUser();
    await addFactor(user.id);
    expect(await codeOf(rpcRows(atLevel(user.caller, 'aal2'), 'admin_health_model'))).toEqual({ code: 'admin_required', status: 403 });
  });

  it('over REST through supabase-js: 403 mfa_required at aal1, the data at aal2', async () => {
    const admin = await createAdmin();
    await addFactor(admin.id);
    const claims = { sub: admin.id, email: admin.email, app_metadata: { provider: 'email', role: 'admin' }, user_metadata: {} };
    const aal1 = clientWithToken(tokenFor({ ...claims, aal: 'aal1', amr: [{ method: 'password', timestamp: 1 }] }));
    const { data, error, status } = await aal1.rpc('admin_health', { range_seconds: 300, step_seconds: 300 });
    expect({ data, code: error?.code, status }).toEqual({ data: null, code: 'mfa_required', status: 403 });
    const aal2 = clientWithToken(tokenFor({ ...claims, aal: 'aal2', amr: [{ method: 'totp', timestamp: 2 }, { method: 'password', timestamp: 1 }] }));
    const ok = await aal2.rpc('admin_health', { range_seconds: 300, step_seconds: 300 });
    expect(ok.error).toBeNull();
    expect(Array.isArray(ok.data)).toBe(true);
  });
});

describe('vendors that require two-factor', () => {
  async function lockedTenant() {
    const t = await createTenant({ products: 1, locations: 1 });
    await restock(t.productIds[0]!, t.locationIds[0]!, 10);
    const staff = await addMember(t.vendorId, 'staff');
    await rpc(atLevel(t.owner.caller, 'aal2'), 'set_team_mfa_requirement', { vendor_id: t.vendorId, required: true, idempotency_key: newKey() });
    return { t, staff };
  }
  const adjust = (who: Caller, t: { productIds: string[]; locationIds: string[] }) =>
    rpc(who, 'adjust_stock', { product_id: t.productIds[0], location_id: t.locationIds[0], delta: -1, reason: 'mfa test', idempotency_key: newKey() });

  it('only owners turn it on, and only from an aal2 session', async () => {
    const t = await createTenant();
    const staff = await addMember(t.vendorId, 'staff');
    const set = (who: Caller) => rpc(who, 'set_team_mfa_requirement', { vendor_id: t.vendorId, required: true, idempotency_key: newKey() });
    expect(await codeOf(set(atLevel(t.owner.caller, 'aal1')))).toEqual({ code: 'mfa_required', status: 403 });
    expect(await codeOf(set(atLevel(staff.caller, 'aal2')))).toEqual({ code: 'owner_required', status: 403 });
    expect((await set(atLevel(t.owner.caller, 'aal2'))).data).toMatchObject({ id: t.vendorId, require_mfa: true });
    // Not through a plain update either.
    const err = await apiError(asCaller(atLevel(t.owner.caller, 'aal2'), (c) => c.query('update public.vendors set require_mfa = false where id = $1', [t.vendorId])));
    expect([err.code, err.message]).toEqual(['42501', 'permission denied for table vendors']);
  });

  it('members at aal1 cannot move stock, read its private rows or manage the team; at aal2 they can', async () => {
    const { t, staff } = await lockedTenant();
    for (const who of [staff, t.owner] as TestUser[]) {
      const aal1 = atLevel(who.caller, 'aal1');
      expect(await codeOf(adjust(aal1, t))).toEqual({ code: 'mfa_required', status: 403 });
      expect(await rpcRows(aal1, 'vendor_team', { vendor_id: t.vendorId })).toEqual([]);
      const hidden = await asCaller(aal1, async (c) => ({
        levels: (await c.query('select 1 from public.inventory_levels where vendor_id = $1', [t.vendorId])).rowCount,
        movements: (await c.query('select 1 from public.stock_movements where vendor_id = $1', [t.vendorId])).rowCount,
        locations: (await c.query('select 1 from public.locations where vendor_id = $1', [t.vendorId])).rowCount,
        // What they may still see: that they belong to it, and its name, to be told why.
        ownMembership: (await c.query('select role from public.vendor_members where vendor_id = $1 and user_id = $2', [t.vendorId, who.id])).rows,
        vendor: (await c.query('select name, require_mfa from public.vendors where id = $1', [t.vendorId])).rows.map((r) => r.require_mfa),
        otherMembers: (await c.query('select 1 from public.vendor_members where vendor_id = $1 and user_id <> $2', [t.vendorId, who.id])).rowCount,
      }));
      expect(hidden).toEqual({ levels: 0, movements: 0, locations: 0, ownMembership: [{ role: who === staff ? 'staff' : 'owner' }], vendor: [true], otherMembers: 0 });
    }
    expect(await codeOf(rpc(atLevel(t.owner.caller, 'aal1'), 'create_invitation', { vendor_id: t.vendorId, email: 'x@example.test', idempotency_key: newKey() })))
      .toEqual({ code: 'mfa_required', status: 403 });

    expect((await adjust(atLevel(staff.caller, 'aal2'), t)).data).toMatchObject({ on_hand: 9 });
    expect(await rpcRows(atLevel(staff.caller, 'aal2'), 'vendor_team', { vendor_id: t.vendorId })).toHaveLength(2);
    expect((await rpc(atLevel(t.owner.caller, 'aal2'), 'create_invitation', { vendor_id: t.vendorId, email: 'x@example.test', idempotency_key: newKey() })).data)
      .toMatchObject({ email: 'x@example.test' });
  });

  it('non-members get the answers they got before (forbidden, nothing visible), and other vendors are unaffected', async () => {
    const { t } = await lockedTenant();
    const other = await createTenant({ products: 1, locations: 1 });
    await restock(other.productIds[0]!, other.locationIds[0]!, 5);
    expect(await codeOf(adjust(atLevel(other.owner.caller, 'aal1'), t))).toEqual({ code: 'forbidden', status: 403 });
    expect((await adjust(atLevel(other.owner.caller, 'aal1'), other)).data).toMatchObject({ on_hand: 4 });
  });
});
