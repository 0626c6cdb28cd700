import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { AuthChangeEvent, Session } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase.ts';
import { authKeys } from './keys.ts';

/**
 * Writes an auth event's session into the cache. When the user signs out or another user signs
 * in, every other cached query is dropped so nothing of the previous user stays on screen.
 */
export function applyAuthEvent(queryClient: QueryClient, event: AuthChangeEvent, session: Session | null): void {
  const previous = queryClient.getQueryData<Session | null>(authKeys.session());
  const userChanged = event === 'SIGNED_OUT' || (previous?.user.id !== undefined && previous.user.id !== session?.user.id);
  if (userChanged) queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
  queryClient.setQueryData(authKeys.session(), session);
}

export function useSessionSync(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    // The callback must not await other supabase.auth calls (auth-js holds its lock while notifying).
    const { data } = supabase.auth.onAuthStateChange((event, session) => applyAuthEvent(queryClient, event, session));
    return () => data.subscription.unsubscribe();
  }, [queryClient]);
}
