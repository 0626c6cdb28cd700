import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeClients, Inbox, RawSocket, subscribed } from './realtime-helpers.ts';
import { anonClient, userWithToken } from './support.ts';

const clients: Array<ReturnType<typeof anonClient>> = [];
const track = <T extends ReturnType<typeof anonClient>>(c: T) => (clients.push(c), c);

afterEach(async () => {
  await closeClients(...clients.splice(0));
});

type State = Record<string, Array<Record<string, unknown>>>;
const strip = (state: State) =>
  Object.fromEntries(Object.entries(state).map(([k, metas]) => [k, metas.map(({ presence_ref: _ref, ...meta }) => meta)]));

describe('presence', () => {
  it('syncs between two clients and cleans up when one leaves or drops', async () => {
    const topic = `lobby-${randomUUID()}`;
    const a = track(anonClient());
    const b = track(anonClient());
    const syncs = new Inbox<State>();
    const leaves = new Inbox<{ key: string }>();
    const chA = a.channel(topic, { config: { presence: { key: 'alice' } } });
    chA.on('presence', { event: 'sync' }, () => syncs.push(chA.presenceState() as State)).on('presence', { event: 'leave' }, leaves.push);
    await subscribed(chA);
    expect(await chA.track({ status: 'online' })).toBe('ok');
    await syncs.wait(1, (s) => 'alice' in s);

    const chB = await subscribed(b.channel(topic, { config: { presence: { key: 'bob' } } }).on('presence', { event: 'sync' }, () => undefined));
    expect(await chB.track({ status: 'busy' })).toBe('ok');
    const both = (await syncs.wait(1, (s) => 'alice' in s && 'bob' in s)).at(-1)!;
    expect(strip(both)).toEqual({ alice: [{ status: 'online' }], bob: [{ status: 'busy' }] });
    // b got a's presence in presence_state when it joined.
    expect(strip(chB.presenceState() as State)).toEqual({ alice: [{ status: 'online' }], bob: [{ status: 'busy' }] });

    // Untrack, then track again, then drop the socket: each time a leave reaches a.
    expect(await chB.untrack()).toBe('ok');
    await syncs.wait(1, (s) => !('bob' in s));
    expect(await chB.track({ status: 'back' })).toBe('ok');
    await syncs.wait(1, (s) => (s.bob?.[0] as { status?: string } | undefined)?.status === 'back');
    const leavesBefore = leaves.items.length;
    b.realtime.disconnect();
    await leaves.wait(leavesBefore + 1);
    expect(leaves.items.at(-1)!.key).toBe('bob');
    expect(strip(chA.presenceState() as State)).toEqual({ alice: [{ status: 'online' }] });
  });

  it('sends presence_state and presence_diff in Phoenix.Presence shape', async () => {
    const topic = `realtime:shape-${randomUUID()}`;
    const s1 = await RawSocket.open();
    const s2 = await RawSocket.open();
    const join = (s: RawSocket, key: string) => s.send(['1', '1', topic, 'phx_join', { config: { presence: { key, enabled: true } } }]);
    join(s1, 'k1');
    await s1.reply('1');
    expect(await s1.next((f) => f[3] === 'presence_state')).toEqual(['1', null, topic, 'presence_state', {}]);
    s1.send(['1', '2', topic, 'presence', { type: 'presence', event: 'track', payload: { n: 1 } }]);
    expect(await s1.reply('2')).toEqual(['1', '2', topic, 'phx_reply', { status: 'ok', response: {} }]);
    const diff = (await s1.next((f) => f[3] === 'presence_diff')) as unknown[];
    expect(diff).toEqual([null, null, topic, 'presence_diff', { joins: { k1: { metas: [{ n: 1, phx_ref: expect.any(String) }] } }, leaves: {} }]);

    join(s2, 'k2');
    await s2.reply('1');
    const state = (await s2.next((f) => f[3] === 'presence_state')) as [unknown, unknown, unknown, unknown, Record<string, { metas: unknown[] }>];
    expect(state[4]).toEqual({ k1: { metas: [{ n: 1, phx_ref: expect.any(String) }] } });

    // Tracking again is an update: the new meta joins (with phx_ref_prev), the old one leaves.
    s1.send(['1', '3', topic, 'presence', { type: 'presence', event: 'track', payload: { n: 2 } }]);
    await s1.reply('3');
    const update = (await s2.next((f) => f[3] === 'presence_diff')) as Array<{ joins: Record<string, { metas: Array<Record<string, unknown>> }>; leaves: Record<string, { metas: Array<Record<string, unknown>> }> }>;
    const oldRef = state[4].k1!.metas[0] as { phx_ref: string };
    expect(update[4]).toEqual({
      joins: { k1: { metas: [{ n: 2, phx_ref: expect.any(String), phx_ref_prev: oldRef.phx_ref }] } },
      leaves: { k1: { metas: [{ n: 1, phx_ref: oldRef.phx_ref }] } },
    });

    // A track payload that is not a map is refused as Supabase does.
    s2.send(['1', '2', topic, 'presence', { type: 'presence', event: 'track', payload: 'nope' }]);
    expect(await s2.reply('2')).toEqual(['1', '2', topic, 'phx_reply', { status: 'error', response: { reason: 'Presence track payload must be a map' } }]);
    s1.close();
    const leave = (await s2.next((f) => f[3] === 'presence_diff' && Object.keys((f[4] as { leaves: object }).leaves).length > 0)) as unknown[];
    expect(leave[4]).toEqual({ joins: {}, leaves: { k1: { metas: [{ n: 2, phx_ref: expect.any(String) }] } } });
    s2.close();
  });

  it('tracks in a private channel only with an insert policy', async () => {
    const user = await userWithToken();
    track(user.client);
    const allowed = await subscribed(user.client.channel(`rt-allowed:${randomUUID()}`, { config: { private: true, presence: { key: 'me' } } }));
    expect(await allowed.track({ here: true })).toBe('ok');
    const readonly = await subscribed(user.client.channel(`rt-readonly:${randomUUID()}`, { config: { private: true, presence: { key: 'me' } } }));
    expect(await readonly.track({ here: true })).toBe('error');
  });
});
