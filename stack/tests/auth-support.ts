import type { Session, SupabaseClient } from '@supabase/supabase-js';
import { expect } from 'vitest';
import { anonClient, stack, uniqueSuffix } from './support.ts';

export const PASSWORD = 'correct-horse-1';

export const uniqueEmail = (label: string) => `${label}-${uniqueSuffix()}@example.test`;

/** Raw HTTP against /auth/v1, for what supabase-js hides (status codes, headers, exact bodies). */
export async function authFetch(
  path: string,
  init: { method?: string; body?: string; token?: string; apiVersion?: string; apikey?: string } = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => any }> {
  const headers: Record<string, string> = { apikey: init.apikey ?? stack().anonKey, 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.apiVersion) headers['x-supabase-api-version'] = init.apiVersion;
  const res = await fetch(`${stack().apiUrl}/auth/v1${path}`, { method: init.method ?? 'GET', headers, body: init.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

/** A fresh user signed up through supabase-js, with the client holding the session. */
export async function signedUpUser(label = 'user', data: Record<string, unknown> = {}): Promise<{ client: SupabaseClient; email: string; session: Session }> {
  const client = anonClient();
  const email = uniqueEmail(label);
  const { data: result, error } = await client.auth.signUp({ email, password: PASSWORD, options: { data } });
  expect(error).toBeNull();
  expect(result.session).not.toBeNull();
  return { client, email, session: result.session as Session };
}
