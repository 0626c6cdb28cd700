import type { Session } from '@supabase/supabase-js';

/** The session's authenticator assurance level, from its access token's `aal` claim (what RLS reads). */
export function sessionAal(session: Pick<Session, 'access_token'> | null | undefined): string | null {
  const payload = session?.access_token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const aal = (JSON.parse(json) as { aal?: unknown }).aal;
    return typeof aal === 'string' ? aal : null;
  } catch {
    return null;
  }
}
