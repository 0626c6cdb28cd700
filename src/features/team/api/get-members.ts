import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { teamKeys } from './keys.ts';

export async function getMembers(vendorId: string, signal: AbortSignal) {
  const { data, error } = await supabase.rpc('vendor_team', { vendor_id: vendorId }).abortSignal(signal);
  if (error) throw error;
  return data;
}

export type Member = Awaited<ReturnType<typeof getMembers>>[number];

/** The vendor's members with email, name and role (vendor_team: members and admins only). */
export const membersQueryOptions = (vendorId: string) =>
  queryOptions({ queryKey: teamKeys.members(vendorId), queryFn: ({ signal }) => getMembers(vendorId, signal), staleTime: 30_000 });

export function useMembers(vendorId: string) {
  return useQuery(membersQueryOptions(vendorId));
}
