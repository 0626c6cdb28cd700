import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedUpUser } from './auth-support.ts';
import { anonClient, clientWithToken, db } from './support.ts';

type WhoAmI = { role: string; uid: string | null; email: string | null; session_id: string | null };

/** Calls the probe until REST's schema cache has picked it up. */
async function whoami(client: SupabaseClient): Promise<WhoAmI> {
  for (let attempt = 0; ; attempt++) {
    const { data, error } = await client.rpc('auth_conformance_whoami');
    if (!error) return data as WhoAmI;
    if (attempt >= 50 || error.code !== 'PGRST202') throw new Error(`rpc failed: ${JSON.stringify(error)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Auth tokens at REST', () => {
  beforeAll(async () => {
    await db().query(`
      create or replace function public.auth_conformance_whoami() returns jsonb language sql stable as $$
        select jsonb_build_object('role', current_user, 'uid', auth.uid(), 'email', auth.email(), 'session_id', auth.jwt() ->> 'session_id')
      $$;
      grant execute on function public.auth_conformance_whoami() to anon, authenticated;
      notify pgrst, 'reload schema';`);
  });

  it('a signed-in supabase-js client queries as authenticated, with its own uid, email and session', async () => {
    const { client, session } = await signedUpUser('rest');
    const claims = JSON.parse(Buffer.from(session.access_token.split('.')[1] as string, 'base64url').toString('utf8'));
    expect(await whoami(client)).toEqual({ role: 'authenticated', uid: session.user.id, email: session.user.email, session_id: claims.session_id });
    expect(await whoami(anonClient())).toEqual({ role: 'anon', uid: null, email: null, session_id: null });
  });

  it('a refreshed token works at REST; signing out does not revoke an access token there before it expires (as on Supabase)', async () => {
    const { client, session } = await signedUpUser('rest-refresh');
    const { data } = await client.auth.refreshSession();
    expect((await whoami(client)).uid).toBe(session.user.id);
    await client.auth.signOut();
    expect((await whoami(clientWithToken(data.session!.access_token))).role).toBe('authenticated');
  });
});
