import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RawSocket, sleep } from './realtime-helpers.ts';
import { db } from './support.ts';

type Frame = unknown[];

/** A kind-3 "user broadcast push" frame, as realtime-js encodes it. */
function userBroadcastPush(joinRef: string, ref: string, topic: string, event: string, payload: Buffer, json = true): Buffer {
  const head = Buffer.from([3, joinRef.length, ref.length, topic.length, event.length, 0, json ? 1 : 0]);
  return Buffer.concat([head, Buffer.from(joinRef + ref + topic + event), payload]);
}

async function alive(): Promise<void> {
  const probe = await RawSocket.open();
  probe.send([null, 'hb', 'phoenix', 'heartbeat', {}]);
  expect(await probe.reply('hb')).toEqual([null, 'hb', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
  probe.close();
}

describe('realtime protocol', () => {
  it('answers heartbeats and refuses unknown topics as Phoenix does', async () => {
    const s = await RawSocket.open();
    s.send([null, '1', 'phoenix', 'heartbeat', {}]);
    expect(await s.reply('1')).toEqual([null, '1', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]);
    s.send([null, '2', 'realtime:not-joined', 'broadcast', { type: 'broadcast', event: 'e', payload: {} }]);
    expect(await s.reply('2')).toEqual([null, '2', 'realtime:not-joined', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
    s.send(['3', '3', 'room:1', 'phx_join', {}]);
    expect(await s.reply('3')).toEqual(['3', '3', 'room:1', 'phx_reply', { status: 'error', response: { reason: 'unmatched topic' } }]);
    s.send(['4', '4', 'realtime:', 'phx_join', { config: {} }]);
    expect(await s.reply('4')).toEqual(['4', '4', 'realtime:', 'phx_reply', { status: 'error', response: { reason: 'TopicNameRequired: You must provide a topic name' } }]);
    s.send([null, '5', 'realtime:never', 'phx_leave', {}]);
    expect(await s.reply('5')).toEqual([null, '5', 'realtime:never', 'phx_reply', { status: 'ok', response: {} }]);
    s.close();
  });

  it('echoes postgres_changes bindings with integer ids, then streams changes', async () => {
    const run = randomUUID();
    const topic = `realtime:wire-${run}`;
    const s = await RawSocket.open();
    const bindings = [
      { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run}` },
      { event: '*', schema: 'public', table: 'rt_items', filter: `run=eq.${run},qty=gt.10` },
    ];
    s.send(['7', '7', topic, 'phx_join', { config: { broadcast: { ack: false, self: false }, presence: { key: '', enabled: false }, postgres_changes: bindings, private: false } }]);
    const reply = (await s.reply('7')) as [string, string, string, string, { status: string; response: { postgres_changes: Array<Record<string, unknown>> } }];
    expect(reply[4].status).toBe('ok');
    const echoed = reply[4].response.postgres_changes;
    expect(echoed.map(({ id: _id, ...rest }) => rest)).toEqual(bindings);
    for (const b of echoed) expect(Number.isInteger(b.id)).toBe(true);
    expect(await s.next((f) => f[3] === 'system')).toEqual(['7', null, topic, 'system', { extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL', channel: topic.slice(9) }]);

    const { rows } = await db().query(`insert into rt_items (run, name, qty) values ($1, 'big', 11) returning id`, [run]);
    const frame = (await s.next((f) => f[3] === 'postgres_changes')) as Frame;
    expect(frame.slice(0, 4)).toEqual([null, null, topic, 'postgres_changes']);
    const payload = frame[4] as { ids: number[]; data: Record<string, unknown> };
    expect(payload.ids.sort()).toEqual(echoed.map((b) => b.id).sort());
    expect(payload.data).toEqual({
      schema: 'public',
      table: 'rt_items',
      type: 'INSERT',
      commit_timestamp: expect.any(String),
      errors: null,
      columns: [
        { name: 'id', type: 'int8' },
        { name: 'run', type: 'text' },
        { name: 'name', type: 'text' },
        { name: 'qty', type: 'int4' },
        { name: 'price', type: 'numeric' },
        { name: 'status', type: 'text' },
        { name: 'tags', type: '_text' },
        { name: 'meta', type: 'jsonb' },
        { name: 'at', type: 'timestamptz' },
      ],
      record: { id: Number(rows[0].id), run, name: 'big', qty: 11, price: null, status: null, tags: [], meta: {}, at: expect.any(String) },
    });
    s.close();
  });

  it('speaks vsn 1.0.0 with JSON objects', async () => {
    const topic = `realtime:v1-${randomUUID()}`;
    const a = await RawSocket.open('1.0.0');
    const b = await RawSocket.open('1.0.0');
    a.send({ topic, event: 'phx_join', payload: { config: { broadcast: { ack: true } } }, ref: '1', join_ref: '1' });
    b.send({ topic, event: 'phx_join', payload: { config: {} }, ref: '1', join_ref: '1' });
    expect(await a.next((f) => f.event === 'phx_reply')).toEqual({ topic, event: 'phx_reply', payload: { status: 'ok', response: { postgres_changes: [] } }, ref: '1', join_ref: '1' });
    await b.next((f) => f.event === 'phx_reply');
    a.send({ topic, event: 'broadcast', payload: { type: 'broadcast', event: 'hello', payload: { n: 1 } }, ref: '2', join_ref: '1' });
    expect(await a.next((f) => f.event === 'phx_reply' && f.ref === '2')).toEqual({ topic, event: 'phx_reply', payload: { status: 'ok', response: {} }, ref: '2', join_ref: '1' });
    expect(await b.next((f) => f.event === 'broadcast')).toEqual({ topic, event: 'broadcast', payload: { type: 'broadcast', event: 'hello', payload: { n: 1 } }, ref: null, join_ref: null });
    a.close();
    b.close();
  });

  it('relays binary user broadcasts as kind-4 frames', async () => {
    const topic = `realtime:binary-${randomUUID()}`;
    const a = await RawSocket.open();
    const b = await RawSocket.open();
    for (const s of [a, b]) {
      s.send(['1', '1', topic, 'phx_join', { config: { broadcast: { ack: true } } }]);
      await s.reply('1');
    }
    a.send(userBroadcastPush('1', '2', topic, 'move', Buffer.from('{"x":1}')));
    expect(await a.reply('2')).toEqual(['1', '2', topic, 'phx_reply', { status: 'ok', response: {} }]);
    const frame = await b.nextBinary();
    const header = [frame[0], frame[1], frame[2], frame[3], frame[4]];
    expect(header).toEqual([4, topic.length, 'move'.length, 0, 1]);
    expect(frame.subarray(5).toString()).toBe(`${topic}move{"x":1}`);
    a.close();
    b.close();
  });

  it('survives bad frames: garbage closes that socket only, wrong shapes get errors', async () => {
    const garbage = await RawSocket.open();
    garbage.send('this is not json');
    expect((await garbage.waitClosed()).code).toBe(1007);

    const shapes = await RawSocket.open();
    shapes.send('[1, 2]');
    expect((await shapes.waitClosed()).code).toBe(1007);

    const binary = await RawSocket.open();
    binary.send(Buffer.from([9, 9, 9]));
    expect((await binary.waitClosed()).code).toBe(1007);

    const topic = `realtime:bad-${randomUUID()}`;
    const s = await RawSocket.open();
    s.send(['1', '1', topic, 'phx_join', 'not a map']);
    const refused = (await s.reply('1')) as [string, string, string, string, { status: string; response: { reason: string } }];
    expect(refused[4].status).toBe('error');
    expect(refused[4].response.reason).toMatch(/^UnknownErrorOnChannel: /);
    s.send(['2', '2', topic, 'phx_join', { config: { broadcast: 'yes', presence: 7, postgres_changes: 'none', private: 'no' } }]);
    expect(await s.reply('2')).toEqual(['2', '2', topic, 'phx_reply', { status: 'ok', response: { postgres_changes: [] } }]);
    // Unknown events and malformed payloads on a joined channel are ignored; the channel lives on.
    s.send(['2', '3', topic, 'no_such_event', { a: 1 }]);
    s.send(['2', '4', topic, 'broadcast', 'not a map']);
    s.send(['2', '5', topic, 'presence', 42]);
    expect(await s.reply('5')).toEqual(['2', '5', topic, 'phx_reply', { status: 'ok', response: {} }]);
    s.send(['2', '6', topic, 'access_token', { access_token: 12 }]);
    s.send([null, '7', 'phoenix', 'heartbeat', {}]);
    await s.reply('7');
    expect(s.frames.some((f) => Array.isArray(f.json) && (f.json[1] === '3' || f.json[1] === '4' || f.json[1] === '6'))).toBe(false);
    s.close();
    await alive();
  });

  it('refuses oversized payloads: too big for a broadcast, too big for a frame', async () => {
    const topic = `realtime:big-${randomUUID()}`;
    const s = await RawSocket.open();
    s.send(['1', '1', topic, 'phx_join', { config: { broadcast: { ack: true } } }]);
    await s.reply('1');
    s.send(['1', '2', topic, 'broadcast', { type: 'broadcast', event: 'e', payload: { blob: 'x'.repeat(3_100_000) } }]);
    expect(await s.reply('2')).toEqual(['1', '2', topic, 'phx_reply', { status: 'error', response: { reason: 'payload_size_exceeded' } }]);
    s.send(['1', '3', topic, 'broadcast', { type: 'broadcast', event: 'e', payload: { blob: 'x'.repeat(6_000_000) } }]);
    expect((await s.waitClosed()).code).toBe(1009);
    await alive();
  });

  it('limits channels per connection and messages per second with Supabase messages', async () => {
    const s = await RawSocket.open();
    for (let i = 0; i < 100; i++) s.send([String(i), String(i), `realtime:many-${i}`, 'phx_join', { config: {} }]);
    await s.reply('99', 10_000);
    await sleep(1000); // past the joins-per-second window, which is checked first (as on Supabase)
    s.send(['100', '100', 'realtime:one-too-many', 'phx_join', { config: {} }]);
    expect(await s.reply('100')).toEqual(['100', '100', 'realtime:one-too-many', 'phx_reply', { status: 'error', response: { reason: 'ChannelRateLimitReached: Too many channels' } }]);
    s.close();

    const topic = `realtime:chatty-${randomUUID()}`;
    const c = await RawSocket.open();
    c.send(['1', '1', topic, 'phx_join', { config: {} }]);
    await c.reply('1');
    for (let i = 0; i < 101; i++) c.send(['1', `b${i}`, topic, 'broadcast', { type: 'broadcast', event: 'e', payload: { i } }]);
    expect(await c.next((f) => f[3] === 'system')).toEqual(['1', null, topic, 'system', { extension: 'system', status: 'error', message: 'Too many messages per second', channel: topic.slice(9) }]);
    expect(await c.next((f) => f[3] === 'phx_close')).toEqual(['1', '1', topic, 'phx_close', {}]);
    c.close();
  });

  it('disconnects a client too slow to read what it is sent', async () => {
    const topic = `realtime:slow-${randomUUID()}`;
    const slow = await RawSocket.open();
    const fast = await RawSocket.open();
    for (const s of [slow, fast]) {
      s.send(['1', '1', topic, 'phx_join', { config: {} }]);
      await s.reply('1');
    }
    // The slow client stops reading its socket; the server's queue for it grows until the limit.
    (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const chunk = 'y'.repeat(900_000);
    for (let i = 0; i < 40; i++) {
      fast.send(['1', `m${i}`, topic, 'broadcast', { type: 'broadcast', event: 'e', payload: { chunk } }]);
      await sleep(20);
    }
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const closed = await slow.waitClosed(10_000);
    expect(closed.code).toBe(1006);
    fast.close();
    await alive();
  });
});
