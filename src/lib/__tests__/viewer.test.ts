import { describe, expect, it } from 'vitest';
import { canUse, initialsOf, landingPath, roleLabel, type Viewer } from '../viewer.ts';

const base: Viewer = { userId: 'u', email: 'vera.vendor@example.com', isAdmin: false, memberships: [] };
const northwind = { vendorId: 'a', vendorName: 'Northwind Outfitters', role: 'owner' } as const;
const harbor = { vendorId: 'b', vendorName: 'Harbor Hardware', role: 'staff' } as const;

describe('who may use what, and where each user lands', () => {
  it('sends admins to /admin, vendor members to /inventory, everyone else to /shop', () => {
    expect(landingPath({ ...base, isAdmin: true, memberships: [northwind] })).toBe('/admin');
    expect(landingPath({ ...base, memberships: [northwind] })).toBe('/inventory');
    expect(landingPath(base)).toBe('/shop');
  });

  it('opens each area only to the roles it is for', () => {
    const shopper = base;
    const member = { ...base, memberships: [northwind] };
    const admin = { ...base, isAdmin: true };
    expect(['shop', 'cart', 'orders', 'inventory', 'admin'].map((area) => canUse(null, area as never))).toEqual([true, false, false, false, false]);
    expect(canUse(shopper, 'cart')).toBe(true);
    expect(canUse(shopper, 'inventory')).toBe(false);
    expect(canUse(member, 'inventory')).toBe(true);
    expect(canUse(member, 'admin')).toBe(false);
    expect(canUse(admin, 'admin')).toBe(true);
    expect(canUse(admin, 'inventory')).toBe(false);
    // The team page is in the navigation of owners only (staff who open it are told it is for owners).
    expect(canUse(member, 'team')).toBe(true);
    expect(canUse({ ...base, memberships: [harbor] }, 'team')).toBe(false);
    expect(canUse(shopper, 'team')).toBe(false);
    expect(canUse(null, 'team')).toBe(false);
  });

  it('labels the role and builds initials from the email', () => {
    expect(roleLabel(base)).toBe('Shopper');
    expect(roleLabel({ ...base, memberships: [northwind] })).toBe('Owner · Northwind Outfitters');
    expect(roleLabel({ ...base, memberships: [harbor] })).toBe('Staff · Harbor Hardware');
    expect(roleLabel({ ...base, memberships: [northwind, harbor] })).toBe('Member of 2 vendors');
    expect(roleLabel({ ...base, isAdmin: true })).toBe('Platform admin');
    expect(initialsOf('vera.vendor@example.com')).toBe('VV');
    expect(initialsOf('sam@example.com')).toBe('SA');
  });
});
