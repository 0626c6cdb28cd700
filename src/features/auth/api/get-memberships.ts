import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import type { Membership } from '@/lib/viewer.ts';
import { authKeys } from './keys.ts';

/** The vendors this user belongs to (RLS shows a member their own memberships), by vendor name. */
export async function getMemberships(userId: string, signal: AbortSignal): Promise<Membership[]> {
  const { data, error } = await supabase
    .from('vendor_members')
    .select('vendor_id, role, vendors(name, require_mfa)')
    .eq('user_id', userId)
    .abortSignal(signal);
  if (error) throw error;
  return data
    .map((row) => ({ vendorId: row.vendor_id, vendorName: row.vendors?.name ?? 'Unnamed vendor', role: row.role === 'owner' ? 'owner' : 'staff', requireMfa: row.vendors?.require_mfa ?? false }) as const)
    .sort((a, b) => a.vendorName.localeCompare(b.vendorName));
}

export const membershipsQueryOptions = (userId: string) =>
  queryOptions({
    queryKey: authKeys.memberships(userId),
    queryFn: ({ signal }) => getMemberships(userId, signal),
    staleTime: 5 * 60_000,
  });

export function useMemberships(userId: string | undefined) {
  return useQuery({ ...membershipsQueryOptions(userId ?? ''), enabled: Boolean(userId) });
}
