import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AuthPKCECodeVerifierMissingError, type Session } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase.ts';
import { parseRecoveryLink, recoveryLinkProblem } from '../utils/recovery-link.ts';
import { authKeys } from './keys.ts';
import { storeSession } from './use-session-sync.ts';

/** Where the reset mail's link lands: this app's own page (the project's redirect allow list must hold it). */
export function resetPasswordUrl(): string {
  return `${window.location.origin}/reset-password`;
}

/**
 * Asks Auth to mail a reset link. GoTrue answers the same (200, nothing said) whether or not an
 * account has this address, so the page can't tell anyone who has an account either.
 */
export async function requestPasswordReset(email: string): Promise<void> {
  const { error } = await supabase.auth.resetPasswordForEmail(email, { redirectTo: resetPasswordUrl() });
  if (error) throw error;
}

export function useRequestPasswordReset() {
  return useMutation({ mutationFn: requestPasswordReset });
}

export type RecoveryState = { status: 'ready'; session: Session } | { status: 'invalid'; problem: string } | { status: 'no-link' };

/**
 * What the reset page can do with the address it was opened at. auth-js (detectSessionInUrl)
 * already exchanged a PKCE `?code=` for a recovery session while the client started, and
 * removed the code from the address; a code still there is one it could not use (expired,
 * used, or asked for in another browser, which holds no code verifier), so it is tried once
 * more here only to learn why.
 */
export async function resolveRecoveryLink(): Promise<RecoveryState> {
  const before = parseRecoveryLink(window.location.search, window.location.hash);
  if (before.kind === 'error') return { status: 'invalid', problem: recoveryLinkProblem(before.code) };
  const { data, error } = await supabase.auth.getSession(); // waits for the client's own start-up exchange
  if (error) throw error;
  const link = parseRecoveryLink(window.location.search, window.location.hash);
  if (link.kind === 'code') {
    const exchanged = await supabase.auth.exchangeCodeForSession(link.code);
    const url = new URL(window.location.href);
    url.searchParams.delete('code');
    window.history.replaceState(window.history.state, '', url);
    if (exchanged.error) {
      const code = exchanged.error instanceof AuthPKCECodeVerifierMissingError ? 'pkce_code_verifier_not_found' : (exchanged.error.code ?? 'unspecified');
      return { status: 'invalid', problem: recoveryLinkProblem(code) };
    }
    return { status: 'ready', session: exchanged.data.session };
  }
  if (data.session) return { status: 'ready', session: data.session };
  return { status: 'no-link' };
}

export function useRecoveryLink() {
  return useQuery({ queryKey: [...authKeys.all, 'recovery-link'], queryFn: resolveRecoveryLink, staleTime: Infinity, gcTime: 0, retry: false });
}

export interface NewPassword {
  password: string;
  /** The code reauthenticate() mailed, when Auth asks for one (secure password change). */
  nonce?: string | undefined;
}

export async function updatePassword({ password, nonce }: NewPassword): Promise<Session | null> {
  const { error } = await supabase.auth.updateUser(nonce ? { password, nonce } : { password });
  if (error) throw error;
  const { data } = await supabase.auth.getSession();
  return data.session;
}

export function useUpdatePassword() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: updatePassword, onSuccess: (session) => storeSession(queryClient, session) });
}

/** Mails the signed-in user a one-time code to confirm a password change (GoTrue GET /reauthenticate). */
export async function reauthenticate(): Promise<void> {
  const { error } = await supabase.auth.reauthenticate();
  if (error) throw error;
}

export function useReauthenticate() {
  return useMutation({ mutationFn: reauthenticate });
}
