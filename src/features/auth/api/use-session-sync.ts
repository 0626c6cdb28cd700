import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Session } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase.ts';
import { authKeys } from './keys.ts';

/**
 * Writes the current session into the cache. When the identity changes (sign-in, sign-out,
 * another user), every other query is reset: its data was read with the previous identity's
 * rights, so it is dropped, and queries on screen refetch with the new one.
 */
export function storeSession(queryClient: QueryClient, session: Session | null): void {
  const previous = queryClient.getQueryData<Session | null>(authKeys.session());
  queryClient.setQueryData(authKeys.session(), session);
  if (previous?.user.id !== session?.user.id) {
    void queryClient.resetQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
  }
}

export function useSessionSync(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    // The callback must not await other supabase.auth calls (auth-js holds its lock while notifying).
    const { data } = supabase.auth.onAuthStateChange((_event, session) => storeSession(queryClient, session));
    return () => data.subscription.unsubscribe();
  }, [queryClient]);
}
