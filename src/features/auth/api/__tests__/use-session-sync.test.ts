// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { Session } from '@supabase/supabase-js';
import { createQueryClient } from '@/lib/query-client.ts';
import { authKeys } from '../keys.ts';
import { storeSession } from '../use-session-sync.ts';

function sessionFor(userId: string, token = 'access-token'): Session {
  return {
    access_token: token,
    refresh_token: 'refresh-token',
    expires_in: 3600,
    token_type: 'bearer',
    user: { id: userId, aud: 'authenticated', app_metadata: {}, user_metadata: {}, created_at: '2025-01-01T00:00:00Z' },
  };
}

function freshClient() {
  return createQueryClient({ queries: { retry: false }, mutations: { retry: false } });
}

describe('storeSession', () => {
  it('stores the new session and keeps data across token refreshes of the same user', () => {
    const queryClient = freshClient();
    storeSession(queryClient, sessionFor('u1'));
    queryClient.setQueryData(['stock', 'list'], ['row']);
    storeSession(queryClient, sessionFor('u1', 'rotated'));
    expect(queryClient.getQueryData<Session>(authKeys.session())?.access_token).toBe('rotated');
    expect(queryClient.getQueryData(['stock', 'list'])).toEqual(['row']);
  });

  it("drops the previous user's data on sign-out", () => {
    const queryClient = freshClient();
    storeSession(queryClient, sessionFor('u1'));
    queryClient.setQueryData(['stock', 'list'], ['row']);
    storeSession(queryClient, null);
    expect(queryClient.getQueryData(authKeys.session())).toBeNull();
    expect(queryClient.getQueryData(['stock', 'list'])).toBeUndefined();
  });

  it('drops cached data when another user signs in without a sign-out in between', () => {
    const queryClient = freshClient();
    storeSession(queryClient, sessionFor('u1'));
    queryClient.setQueryData(['stock', 'list'], ['row of u1']);
    storeSession(queryClient, sessionFor('u2'));
    expect(queryClient.getQueryData<Session>(authKeys.session())?.user.id).toBe('u2');
    expect(queryClient.getQueryData(['stock', 'list'])).toBeUndefined();
  });

  it('drops data read anonymously once a user signs in', () => {
    const queryClient = freshClient();
    storeSession(queryClient, null);
    queryClient.setQueryData(['availability'], ['public row']);
    storeSession(queryClient, sessionFor('u1'));
    expect(queryClient.getQueryData(['availability'])).toBeUndefined();
  });
});
