import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { groupUserFactors, type UserFactorRow, type UserFactors } from '../utils/user-factors.ts';

const userFactorKeys = {
  all: ['admin', 'user-factors'] as const,
  byEmail: (email: string) => [...userFactorKeys.all, email.toLowerCase()] as const,
};

/** An account and its MFA factors, looked up by email (platform admins only; see the migration 20261202005200). */
export async function getUserFactors(email: string, signal: AbortSignal): Promise<UserFactors | null> {
  const { data, error } = await supabase.rpc('admin_user_factors', { p_email: email }).abortSignal(signal);
  if (error) throw error;
  return groupUserFactors(data as UserFactorRow[]);
}

export function useUserFactors(email: string | undefined) {
  return useQuery({
    queryKey: userFactorKeys.byEmail(email ?? ''),
    queryFn: ({ signal }) => getUserFactors(email ?? '', signal),
    enabled: Boolean(email),
    staleTime: 0,
    retry: false,
  });
}

/** Removes all of the user's factors; the admin's own session must be aal2. Answers how many went. */
export async function removeUserFactors(userId: string): Promise<number> {
  const { data, error } = await supabase.rpc('admin_remove_user_factors', { p_user_id: userId });
  if (error) throw error;
  return data;
}

export function useRemoveUserFactors() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: removeUserFactors, onSettled: () => queryClient.invalidateQueries({ queryKey: userFactorKeys.all }) });
}
