import { useMutation, useQueryClient } from '@tanstack/react-query';
import { authKeys } from '@/features/auth/api/keys.ts';
import { supabase } from '@/lib/supabase.ts';
import { teamKeys } from './keys.ts';

export type TeamRole = 'owner' | 'staff';

/** A new invitation and, this once, its token: only a hash is stored, so the link cannot be shown again. */
export async function createInvitation(args: { vendorId: string; email: string; role: TeamRole; key: string }) {
  const { data, error } = await supabase.rpc('create_invitation', { vendor_id: args.vendorId, email: args.email, role: args.role, idempotency_key: args.key });
  if (error) throw error;
  // A composite type: every field is nullable in the generated types, never null in fact.
  const { id, email, role, expires_at, token } = data;
  if (!id || !email || !role || !expires_at || !token) throw new Error('The invitation came back incomplete. Try again.');
  return { id, email, role, expires_at, token };
}

export async function revokeInvitation(args: { vendorId: string; invitationId: string; key: string }) {
  const { error } = await supabase.rpc('revoke_invitation', { invitation_id: args.invitationId, idempotency_key: args.key });
  if (error) throw error;
}

export async function setMemberRole(args: { vendorId: string; userId: string; role: TeamRole; key: string }) {
  const { error } = await supabase.rpc('set_member_role', { vendor_id: args.vendorId, user_id: args.userId, role: args.role, idempotency_key: args.key });
  if (error) throw error;
}

export async function removeMember(args: { vendorId: string; userId: string; key: string }) {
  const { error } = await supabase.rpc('remove_member', { vendor_id: args.vendorId, user_id: args.userId, idempotency_key: args.key });
  if (error) throw error;
}

/** Each mutation refreshes the team; a change to the viewer's own membership refreshes what they may use. */
function useTeamMutation<A extends { vendorId: string }, R>(mutationFn: (args: A) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: (_data, _error, { vendorId }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: teamKeys.members(vendorId) }),
        queryClient.invalidateQueries({ queryKey: teamKeys.invitations(vendorId) }),
        queryClient.invalidateQueries({ queryKey: [...authKeys.all, 'memberships'] }),
      ]),
  });
}

export const useCreateInvitation = () => useTeamMutation(createInvitation);
export const useRevokeInvitation = () => useTeamMutation(revokeInvitation);
export const useSetMemberRole = () => useTeamMutation(setMemberRole);
export const useRemoveMember = () => useTeamMutation(removeMember);

export async function setTeamMfaRequirement(args: { vendorId: string; required: boolean; key: string }) {
  const { error } = await supabase.rpc('set_team_mfa_requirement', { vendor_id: args.vendorId, required: args.required, idempotency_key: args.key });
  if (error) throw error;
}

export const useSetTeamMfaRequirement = () => useTeamMutation(setTeamMfaRequirement);
