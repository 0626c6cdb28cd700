/** One row of admin_user_factors(): the account, and one of its factors (null columns: none). */
export interface UserFactorRow {
  user_id: string;
  email: string;
  factor_id: string | null;
  factor_type: string | null;
  friendly_name: string | null;
  status: string | null;
  created_at: string | null;
}

export interface UserFactors {
  userId: string;
  email: string;
  factors: Array<{ id: string; type: string; name: string; verified: boolean; createdAt: string }>;
}

/** The account the rows describe, with its factors; null when no account has the email. */
export function groupUserFactors(rows: UserFactorRow[]): UserFactors | null {
  const first = rows[0];
  if (!first) return null;
  const factors = rows
    .filter((row) => row.factor_id !== null)
    .map((row) => ({
      id: row.factor_id!,
      type: row.factor_type ?? 'unknown',
      name: row.friendly_name || (row.factor_type === 'totp' ? 'Authenticator app' : (row.factor_type ?? 'Factor')),
      verified: row.status === 'verified',
      createdAt: row.created_at ?? '',
    }));
  return { userId: first.user_id, email: first.email, factors };
}
