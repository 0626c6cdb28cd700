import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Session, User } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase.ts';
import type { Credentials } from '../utils/validate-credentials.ts';
import { storeSession } from './use-session-sync.ts';

export interface SignUpResult {
  user: User | null;
  /** Null when the project asks new users to confirm their email first. */
  session: Session | null;
}

export async function signUp({ email, password }: Credentials): Promise<SignUpResult> {
  const { data, error } = await supabase.auth.signUp({ email, password });
  if (error) throw error;
  return { user: data.user, session: data.session };
}

export function useSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signUp,
    onSuccess: ({ session }) => {
      if (session) storeSession(queryClient, session);
    },
  });
}
