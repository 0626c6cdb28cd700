import { randomUUID } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { TelemetryCollector } from '../src/lib/telemetry/collector.ts';
import { instrumentFetch } from '../src/lib/telemetry/instrument-fetch.ts';
import { describeRequest } from '../src/lib/telemetry/operation.ts';
import { batchSender } from '../src/lib/telemetry/send-batch.ts';
import type { Database } from '../src/types/database.ts';

export type Client = SupabaseClient<Database>;

export interface Login {
  email: string;
  password: string;
}

export interface Account {
  email: string;
  userId: string;
  client: Client;
}

/** Request ids the simulator's requests carry (`x-request-id`), so logs and the ledger can tell them apart. */
export const REQUEST_ID_PREFIX = 'sim-';

const collectors = new WeakMap<Client, TelemetryCollector>();

/**
 * A supabase-js client as a Node app makes one; every request carries a `sim-` request id. Its
 * calls report telemetry exactly as the SPA's do (the same fetch wrapper, collector and sender), so
 * the simulated traffic shows on the admin dashboard.
 */
export function simClient(url: string, anonKey: string, baseFetch: typeof fetch = fetch): Client {
  const tagged: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (!headers.has('x-request-id')) headers.set('x-request-id', `${REQUEST_ID_PREFIX}${randomUUID()}`);
    return baseFetch(input, { ...init, headers });
  };
  let accessToken: string | null = null;
  const send = batchSender({ apiUrl: url, anonKey, accessToken: () => accessToken, baseFetch: tagged });
  // Unreferenced timers: a pending telemetry flush never keeps the process alive.
  const collector = new TelemetryCollector({ send, setTimer: (run, ms) => setTimeout(run, ms).unref() });
  const client = createClient<Database>(url, anonKey, {
    auth: { persistSession: false, autoRefreshToken: true, detectSessionInUrl: false },
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    global: { fetch: instrumentFetch(tagged, (requestUrl, method) => describeRequest(requestUrl, method, url), (call) => collector.recordCall(call)) },
  });
  client.auth.onAuthStateChange((_event, session) => {
    accessToken = session?.access_token ?? null;
  });
  collectors.set(client, collector);
  return client;
}

export async function signIn(client: Client, login: Login): Promise<Account> {
  const { data, error } = await client.auth.signInWithPassword(login);
  if (error) throw new Error(`${login.email}: sign-in failed: ${error.message}`);
  return { email: login.email, userId: data.user.id, client };
}

/** Signs in, or signs up on first use (the project must not require email confirmation). */
export async function signInOrUp(client: Client, login: Login): Promise<Account> {
  const signedIn = await client.auth.signInWithPassword(login);
  if (!signedIn.error) return { email: login.email, userId: signedIn.data.user.id, client };
  if (signedIn.error.code !== 'invalid_credentials') throw new Error(`${login.email}: sign-in failed: ${signedIn.error.message}`);
  const { data, error } = await client.auth.signUp(login);
  if (error?.code === 'user_already_exists') throw new Error(`${login.email} exists with another password (see --shopper-password)`);
  if (error) throw new Error(`${login.email}: sign-up failed: ${error.message}`);
  if (!data.session || !data.user) throw new Error(`${login.email}: signed up but got no session: this project requires email confirmation; create the accounts first`);
  return { email: login.email, userId: data.user.id, client };
}

/** Runs `work` over `items`, `concurrency` at a time; results in the order of `items`. */
export async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Closes the client's channels and socket and ends its session only (scope `local`): the same
 * login may be open in a browser at the same time, and must stay signed in there.
 */
export async function closeClient(client: Client, signedIn: boolean): Promise<void> {
  collectors.get(client)?.flushNow();
  await client.removeAllChannels().catch(() => undefined);
  client.realtime.disconnect();
  if (signedIn) await client.auth.signOut({ scope: 'local' }).catch(() => undefined);
  await client.auth.stopAutoRefresh().catch(() => undefined);
}
