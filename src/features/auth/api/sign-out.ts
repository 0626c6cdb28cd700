import { useMutation } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';

export async function signOut(): Promise<void> {
  const { error } = await supabase.auth.signOut();
  if (error) throw error;
}

/** The SIGNED_OUT event clears the cache (see useSessionSync); the route guard then leaves. */
export function useSignOut() {
  return useMutation({ mutationFn: signOut });
}
