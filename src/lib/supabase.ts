import { createClient } from '@supabase/supabase-js';
import type { Database } from '@/types/database.ts';
import { createTelemetry } from './telemetry/telemetry.ts';

/** The local stack's API and the Supabase CLI's well-known local anon key (public by design). */
const LOCAL_API_URL = 'http://127.0.0.1:54321';
const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

function setting(name: string, value: string | undefined, devDefault: string): string {
  if (value) return value;
  // A production build must say which project it talks to; only dev falls back to the local stack.
  if (import.meta.env.DEV) return devDefault;
  throw new Error(`${name} is not set: set it when building the SPA (npm run build).`);
}

export const supabaseUrl = setting('VITE_SUPABASE_URL', import.meta.env.VITE_SUPABASE_URL, LOCAL_API_URL);
const anonKey = setting('VITE_SUPABASE_ANON_KEY', import.meta.env.VITE_SUPABASE_ANON_KEY, LOCAL_ANON_KEY);

/** Real-user telemetry of every call this client makes (VITE_TELEMETRY=off turns it off). */
export const telemetry = createTelemetry({ apiUrl: supabaseUrl, anonKey, enabled: import.meta.env.VITE_TELEMETRY !== 'off' });

// PKCE, as Supabase recommends for browser apps: links that Auth mails (password reset) come back
// as `?code=`, which only this browser (holding the code verifier) can exchange for a session;
// the implicit flow would put the tokens themselves in the address. Password sign-in and sign-up
// are the same in both flows.
export const supabase = createClient<Database>(supabaseUrl, anonKey, { auth: { flowType: 'pkce' }, global: { fetch: telemetry.fetch } });
telemetry.start(supabase);
