import { describe, expect, it } from 'vitest';
import { groupUserFactors, type UserFactorRow } from '../user-factors.ts';

const user = { user_id: 'u1', email: 'vendor@example.com' };
const none = { factor_id: null, factor_type: null, friendly_name: null, status: null, created_at: null };

describe('groupUserFactors', () => {
  it('is null when no account has the email (no rows)', () => {
    expect(groupUserFactors([])).toBeNull();
  });

  it('gives an account without factors an empty list (one row of nulls)', () => {
    expect(groupUserFactors([{ ...user, ...none }])).toEqual({ userId: 'u1', email: 'vendor@example.com', factors: [] });
  });

  it('lists every factor, verified or not, with a name when it has none', () => {
    const rows: UserFactorRow[] = [
      { ...user, factor_id: 'f1', factor_type: 'totp', friendly_name: 'Phone', status: 'verified', created_at: '2026-12-01T10:00:00Z' },
      { ...user, factor_id: 'f2', factor_type: 'totp', friendly_name: null, status: 'unverified', created_at: '2026-12-02T10:00:00Z' },
    ];
    expect(groupUserFactors(rows)?.factors).toEqual([
      { id: 'f1', type: 'totp', name: 'Phone', verified: true, createdAt: '2026-12-01T10:00:00Z' },
      { id: 'f2', type: 'totp', name: 'Authenticator app', verified: false, createdAt: '2026-12-02T10:00:00Z' },
    ]);
  });
});
