import { queryOptions, useQuery } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { teamKeys } from './keys.ts';

/** Invitations not yet accepted or revoked (pending or expired), newest first; RLS shows them to owners only. */
export async function getOpenInvitations(vendorId: string, signal: AbortSignal) {
  const { data, error } = await supabase
    .from('vendor_invitations')
    .select('id, email, role, created_at, expires_at')
    .eq('vendor_id', vendorId)
    .is('accepted_at', null)
    .is('revoked_at', null)
    .order('created_at', { ascending: false })
    .abortSignal(signal);
  if (error) throw error;
  return data;
}

export type OpenInvitation = Awaited<ReturnType<typeof getOpenInvitations>>[number];

export const invitationsQueryOptions = (vendorId: string) =>
  queryOptions({ queryKey: teamKeys.invitations(vendorId), queryFn: ({ signal }) => getOpenInvitations(vendorId, signal), staleTime: 30_000 });

export function useOpenInvitations(vendorId: string) {
  return useQuery(invitationsQueryOptions(vendorId));
}
