import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authKeys } from '@/features/auth/api/keys.ts';
import { supabase } from '@/lib/supabase.ts';
import { teamKeys } from './keys.ts';

/** What an invitation link offers the signed-in user: vendor, role, status, whether their email matches. */
export async function lookupInvitation(token: string, signal: AbortSignal) {
  const { data, error } = await supabase.rpc('lookup_invitation', { token }).abortSignal(signal).single();
  if (error) throw error;
  return data;
}

export type InvitationDetails = Awaited<ReturnType<typeof lookupInvitation>>;

export const invitationQueryOptions = (token: string) =>
  queryOptions({
    queryKey: teamKeys.invitation(token),
    queryFn: ({ signal }) => lookupInvitation(token, signal),
    // A bad link stays bad: no retries on the API's answers.
    retry: (count, error) => !(error as { code?: string }).code && count < 2,
  });

export function useInvitation(token: string, enabled: boolean) {
  return useQuery({ ...invitationQueryOptions(token), enabled });
}

export async function acceptInvitation(args: { token: string; key: string }) {
  const { data, error } = await supabase.rpc('accept_invitation', { token: args.token, idempotency_key: args.key }).single();
  if (error) throw error;
  return data;
}

export function useAcceptInvitation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acceptInvitation,
    onSettled: (_data, _error, { token }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: [...authKeys.all, 'memberships'] }),
        queryClient.invalidateQueries({ queryKey: teamKeys.invitation(token) }),
      ]),
  });
}
