import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Session } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase.ts';
import { authKeys } from './keys.ts';

export async function getSession(): Promise<Session | null> {
  const { data, error } = await supabase.auth.getSession();
  if (error) throw error;
  return data.session;
}

/** The session lives in the query cache; `useSessionSync` keeps it current from auth events. */
export const sessionQueryOptions = () =>
  queryOptions({ queryKey: authKeys.session(), queryFn: getSession, staleTime: Infinity, gcTime: Infinity });

export function useSession() {
  return useQuery(sessionQueryOptions());
}
