import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { inventoryKeys } from './keys.ts';

export async function getTeam(vendorId: string, signal: AbortSignal) {
  const { data, error } = await supabase.rpc('vendor_team', { vendor_id: vendorId }).abortSignal(signal);
  if (error) throw error;
  return data;
}

export type TeamMember = Awaited<ReturnType<typeof getTeam>>[number];

/** The vendor's members by user id, to name who made a movement. */
export const teamQueryOptions = (vendorId: string) =>
  queryOptions({ queryKey: inventoryKeys.team(vendorId), queryFn: ({ signal }) => getTeam(vendorId, signal), staleTime: 5 * 60_000 });

export function useTeam(vendorId: string) {
  return useQuery(teamQueryOptions(vendorId));
}
