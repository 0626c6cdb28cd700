import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { addMember, createAdmin, createTenant, createUser } from './helpers/fixtures.ts';
import { anonCaller, apiError, rpcRows, serviceCaller } from './helpers/sql.ts';

interface TeamRow {
  user_id: string;
  email: string;
  display_name: string;
  role: string;
}

describe('vendor_team', () => {
  it("names a vendor's members to its members, admins and the service role", async () => {
    const t = await createTenant();
    const staff = await addMember(t.vendorId, 'staff');
    await db().query(`update auth.users set raw_user_meta_data = '{"display_name": "Sam Staff"}' where id = $1`, [staff.id]);
    const expected = [
      { user_id: staff.id, email: staff.email, display_name: 'Sam Staff', role: 'staff' },
      { user_id: t.owner.id, email: t.owner.email, display_name: t.owner.email.split('@')[0]!, role: 'owner' },
    ].sort((a, b) => a.display_name.localeCompare(b.display_name) || a.user_id.localeCompare(b.user_id));
    for (const caller of [t.owner.caller, staff.caller, (await createAdmin()).caller, serviceCaller]) {
      expect(await rpcRows<TeamRow>(caller, 'vendor_team', { vendor_id: t.vendorId })).toEqual(expected);
    }
  });

  it("shows nothing of a vendor to shoppers and to another vendor's members; anon may not call it", async () => {
    const t = await createTenant();
    const other = await createTenant();
    const shopper = await createUser();
    expect(await rpcRows(shopper.caller, 'vendor_team', { vendor_id: t.vendorId })).toEqual([]);
    expect(await rpcRows(other.owner.caller, 'vendor_team', { vendor_id: t.vendorId })).toEqual([]);
    expect(await rpcRows(t.owner.caller, 'vendor_team', {})).toEqual([]);
    const err = await apiError(rpcRows(anonCaller, 'vendor_team', { vendor_id: t.vendorId }));
    expect({ code: err.code, status: err.status, message: err.message }).toEqual({ code: '42501', status: 401, message: 'permission denied for function vendor_team' });
  });
});
