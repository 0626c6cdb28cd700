import { randomUUID } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';

export const PASSWORD = 'correct-horse-battery';

/** A fresh address per test, so tests never share users. */
export function uniqueEmail(label: string): string {
  return `e2e-${label}-${randomUUID().slice(0, 8)}@example.com`;
}

export function env(name: 'E2E_API_URL' | 'E2E_ANON_KEY' | 'E2E_DB_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the specs through playwright.config.ts (its global setup sets it)`);
  return value;
}

/** Creates a user through the stack's Auth with supabase-js, as another client would. */
export async function createUser(email: string, password = PASSWORD): Promise<void> {
  const client = createClient(env('E2E_API_URL'), env('E2E_ANON_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false },
    // Node 20 has no global WebSocket; supabase-js needs one to construct its realtime client.
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
  });
  const { error } = await client.auth.signUp({ email, password });
  if (error) throw error;
}
