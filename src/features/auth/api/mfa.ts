import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Factor } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase.ts';
import { normalizeTotpCode } from '../utils/totp-code.ts';
import { authKeys } from './keys.ts';
import { storeSession } from './use-session-sync.ts';

export const factorKeys = { all: () => [...authKeys.all, 'factors'] as const };

/** The user's factors as Auth has them now (listFactors reads the user from the server). */
export async function listFactors(): Promise<Factor[]> {
  const { data, error } = await supabase.auth.mfa.listFactors();
  if (error) throw error;
  return data.all;
}

export function useFactors() {
  return useQuery({ queryKey: factorKeys.all(), queryFn: listFactors });
}

/** Reads the session again from the server, so its user (and its factors) is current. */
async function refreshSession(): Promise<void> {
  const { error } = await supabase.auth.refreshSession();
  if (error) throw error;
}

export interface TotpEnrolment {
  factorId: string;
  /** A data: URI of the SVG QR code GoTrue returns (auth-js adds the prefix). */
  qrCode: string;
  secret: string;
  uri: string;
}

/**
 * Starts adding an authenticator app. Abandoned enrolments (unverified factors) are removed
 * first: GoTrue keeps them until they are verified or deleted, and counts them against the limit.
 */
export async function enrollTotp(): Promise<TotpEnrolment> {
  const factors = await listFactors();
  for (const factor of factors.filter((f) => f.factor_type === 'totp' && f.status === 'unverified')) {
    const { error } = await supabase.auth.mfa.unenroll({ factorId: factor.id });
    if (error) throw error;
  }
  const { data, error } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: `Authenticator app ${new Date().toISOString().slice(0, 16).replace('T', ' ')}` });
  if (error) throw error;
  return { factorId: data.id, qrCode: data.totp.qr_code, secret: data.totp.secret, uri: data.totp.uri };
}

export function useEnrollTotp() {
  return useMutation({ mutationFn: enrollTotp });
}

/**
 * Verifies a code for a factor: a new challenge and its answer. On success Auth issues an aal2
 * session (auth-js stores it and emits MFA_CHALLENGE_VERIFIED); it goes into the cache here too.
 */
export async function verifyTotp({ factorId, code }: { factorId: string; code: string }) {
  const { data, error } = await supabase.auth.mfa.challengeAndVerify({ factorId, code: normalizeTotpCode(code) });
  if (error) throw error;
  return data;
}

export function useVerifyTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: verifyTotp,
    onSuccess: async () => {
      const { data } = await supabase.auth.getSession();
      storeSession(queryClient, data.session);
      await queryClient.invalidateQueries({ queryKey: factorKeys.all() });
    },
  });
}

/** Removes a factor (a verified one needs an aal2 session), then refreshes the session's user. */
export async function unenrollFactor(factorId: string): Promise<void> {
  const { error } = await supabase.auth.mfa.unenroll({ factorId });
  if (error) throw error;
  await refreshSession();
}

export function useUnenrollFactor() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: unenrollFactor, onSettled: () => queryClient.invalidateQueries({ queryKey: factorKeys.all() }) });
}
