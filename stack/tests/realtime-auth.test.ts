import { randomUUID } from 'node:crypto';
import { createClient, type RealtimePostgresChangesPayload, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signJwt } from '../jwt.ts';
import { closeClients, Inbox, RawSocket, sleep, subscribed } from './realtime-helpers.ts';
import { db, stack, tokenFor, userWithToken } from './support.ts';

type Change = RealtimePostgresChangesPayload<Record<string, unknown>>;
const clients: SupabaseClient[] = [];

afterEach(async () => {
  await closeClients(...clients.splice(0));
});

/** A client whose access token can be swapped, as a session refresh does. */
async function refreshableClient(first: string) {
  let current = first;
  const client: SupabaseClient = createClient(stack().apiUrl, stack().anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    accessToken: async () => current,
  });
  clients.push(client);
  // Join with this token (not the apikey): realtime-js only sends the token it already holds.
  await client.realtime.setAuth();
  return {
    client,
    refresh: async (token: string) => {
      current = token;
      await client.realtime.setAuth();
    },
  };
}

describe('realtime auth', () => {
  it('keeps a subscription alive across a token refresh', async () => {
    const user = await userWithToken();
    const claims = { sub: user.id, email: user.email };
    const { client, refresh } = await refreshableClient(tokenFor(claims, 3));
    const run = randomUUID();
    const inbox = new Inbox<Change>();
    const system = new Inbox<Record<string, unknown>>();
    const channel = await subscribed(
      client
        .channel(`refresh-${run}`)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_notes', filter: `run=eq.${run}` }, inbox.push)
        .on('system', {}, system.push),
    );
    await refresh(tokenFor(claims, 3600));
    await sleep(4000);
    await db().query(`insert into rt_notes (run, owner, body) values ($1, $2, 'after refresh')`, [run, user.id]);
    const [change] = await inbox.wait(1);
    expect(change!.new).toMatchObject({ body: 'after refresh' });
    expect(channel.state).toBe('joined');
    expect(system.items.filter((m) => m.status === 'error')).toEqual([]);
  });

  it('tells a channel its token expired and closes it', async () => {
    const user = await userWithToken();
    const { client } = await refreshableClient(tokenFor({ sub: user.id }, 2));
    const statuses = new Inbox<string>();
    const system = new Inbox<Record<string, unknown>>();
    const channel = client.channel(`expiring-${randomUUID()}`).on('system', {}, system.push);
    channel.subscribe((status) => statuses.push(status));
    await statuses.wait(1, (s) => s === 'SUBSCRIBED');
    await statuses.wait(1, (s) => s === 'CLOSED', 6000);
    expect(system.items).toContainEqual({ extension: 'system', status: 'error', message: expect.stringMatching(/^Token has expired \d+ seconds ago$/), channel: channel.subTopic });
    expect(channel.state).toBe('closed');
  });

  it('refuses joins with bad tokens, with Supabase reasons', async () => {
    const socket = await RawSocket.open();
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, string]> = [
      [tokenFor({ sub: randomUUID() }, -10), 'InvalidJWTToken: Token has expired'],
      [signJwt({ role: 'authenticated', exp: now + 60 }, 'another-secret-that-is-long-enough-000000'), 'JwtSignatureError: Failed to validate JWT signature'],
      ['not.a.jwt', 'MalformedJWT: The token provided is not a valid JWT'],
      [signJwt({ sub: 'x', exp: now + 60 }, stack().jwtSecret), 'InvalidJWTToken: Fields `role` and `exp` are required in JWT'],
    ];
    let ref = 0;
    for (const [token, reason] of cases) {
      const r = String(++ref);
      const topic = `realtime:bad-token-${r}`;
      socket.send([r, r, topic, 'phx_join', { config: {}, access_token: token }]);
      const reply = (await socket.reply(r)) as [string, string, string, string, { status: string; response: { reason: string } }];
      expect(reply[4].status).toBe('error');
      expect(reply[4].response.reason.startsWith(reason)).toBe(true);
    }
    socket.close();
  });

  it('shuts a channel down when an access_token push is invalid', async () => {
    const socket = await RawSocket.open();
    const topic = `realtime:push-${randomUUID()}`;
    socket.send(['1', '1', topic, 'phx_join', { config: {}, access_token: tokenFor({ sub: randomUUID() }) }]);
    expect(await socket.reply('1')).toEqual(['1', '1', topic, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
    socket.send(['1', '2', topic, 'access_token', { access_token: 'not.a.jwt' }]);
    expect(await socket.next((f) => f[3] === 'system')).toEqual(['1', null, topic, 'system', { extension: 'system', status: 'error', message: 'The token provided is not a valid JWT', channel: topic.slice(9) }]);
    expect(await socket.next((f) => f[3] === 'phx_close')).toEqual(['1', '1', topic, 'phx_close', {}]);
    // The channel is gone: pushes to it are unmatched.
    socket.send(['1', '3', topic, 'broadcast', { type: 'broadcast', event: 'e', payload: {} }]);
    expect(await socket.reply('3')).toEqual(['1', '3', topic, 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
    socket.close();
  });

  it('refuses a socket whose apikey is not a valid token', async () => {
    await expect(RawSocket.open('2.0.0', 'garbage')).rejects.toThrow(/401/);
  });
});
