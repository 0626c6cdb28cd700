import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeClients, Inbox, sleep, subscribe, subscribed } from './realtime-helpers.ts';
import { anonClient, db, serviceClient, stack, userWithToken } from './support.ts';

type Msg = { type: string; event: string; payload: unknown; meta?: Record<string, unknown> };
const clients: Array<ReturnType<typeof anonClient>> = [];
const track = <T extends ReturnType<typeof anonClient>>(c: T) => (clients.push(c), c);

afterEach(async () => {
  await closeClients(...clients.splice(0));
});

describe('broadcast', () => {
  it('goes from one client to the others, to the sender only with self, acknowledged with ack', async () => {
    const topic = `room-${randomUUID()}`;
    const a = track(anonClient());
    const b = track(anonClient());
    const toA = new Inbox<Msg>();
    const toB = new Inbox<Msg>();
    const chA = await subscribed(a.channel(topic, { config: { broadcast: { self: true, ack: true } } }).on('broadcast', { event: 'cursor' }, toA.push));
    const chB = await subscribed(b.channel(topic).on('broadcast', { event: 'cursor' }, toB.push));

    expect(await chA.send({ type: 'broadcast', event: 'cursor', payload: { x: 1 } })).toBe('ok');
    expect(await chB.send({ type: 'broadcast', event: 'cursor', payload: { x: 2 } })).toBe('ok');
    await toA.wait(2);
    await toB.wait(1);
    expect(toA.items).toEqual([
      { type: 'broadcast', event: 'cursor', payload: { x: 1 } },
      { type: 'broadcast', event: 'cursor', payload: { x: 2 } },
    ]);
    // Without `self`, b does not hear itself.
    await sleep(200);
    expect(toB.items).toEqual([{ type: 'broadcast', event: 'cursor', payload: { x: 1 } }]);
  });

  it('carries binary payloads', async () => {
    const topic = `bin-${randomUUID()}`;
    const a = track(anonClient());
    const b = track(anonClient());
    const inbox = new Inbox<Msg>();
    const chA = await subscribed(a.channel(topic));
    await subscribed(b.channel(topic).on('broadcast', { event: 'blob' }, inbox.push));
    await chA.send({ type: 'broadcast', event: 'blob', payload: new Uint8Array([1, 2, 255]).buffer });
    const [msg] = await inbox.wait(1);
    expect(msg!.event).toBe('blob');
    expect([...new Uint8Array(msg!.payload as ArrayBuffer)]).toEqual([1, 2, 255]);
  });

  it('is sent over REST, batched and single', async () => {
    const topic = `rest-${randomUUID()}`;
    const listener = track(anonClient());
    const inbox = new Inbox<Msg>();
    await subscribed(listener.channel(topic).on('broadcast', { event: '*' }, inbox.push));

    const res = await fetch(`${stack().apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic, event: 'batch', payload: { n: 1 } }, { topic, event: 'batch', payload: { n: 2 }, id: 'abc' }] }),
    });
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');

    const sender = track(anonClient());
    const senderChannel = sender.channel(topic);
    expect(await senderChannel.httpSend('single', { n: 3 })).toEqual({ success: true });
    await inbox.wait(3);
    expect(inbox.items).toEqual([
      { type: 'broadcast', event: 'batch', payload: { n: 1 } },
      { type: 'broadcast', event: 'batch', payload: { n: 2 }, meta: { id: 'abc' } },
      { type: 'broadcast', event: 'single', payload: { n: 3 } },
    ]);
  });

  it('refuses bad REST broadcasts with Supabase errors', async () => {
    const post = (body: unknown, headers: Record<string, string> = { apikey: stack().anonKey }) =>
      fetch(`${stack().apiUrl}/realtime/v1/api/broadcast`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    let res = await post({ messages: [{ event: 'e', payload: {} }, { topic: 't', event: 'e', payload: 'text' }] });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ errors: { messages: [{ topic: ["can't be blank"] }, { payload: ['is invalid'] }] } });
    res = await post({});
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ errors: { messages: ["can't be blank"] } });
    res = await post({ messages: [{ topic: 't', event: 'e', payload: {} }] }, { apikey: stack().anonKey, authorization: 'Bearer not-a-jwt' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
  });

  it('comes from the database with realtime.send', async () => {
    const topic = `db-${randomUUID()}`;
    const client = track(anonClient());
    const inbox = new Inbox<Msg>();
    await subscribed(client.channel(topic).on('broadcast', { event: 'stock' }, inbox.push));
    await db().query(`select realtime.send('{"sku":"A1","available":3}'::jsonb, 'stock', $1, false)`, [topic]);
    // A rolled-back send is never delivered.
    const tx = await db().connect();
    try {
      await tx.query('begin');
      await tx.query(`select realtime.send('{"sku":"rolled back"}'::jsonb, 'stock', $1, false)`, [topic]);
      await tx.query('rollback');
    } finally {
      tx.release();
    }
    await db().query(`select realtime.send('{"sku":"B2","available":0}'::jsonb, 'stock', $1, false)`, [topic]);
    await inbox.wait(2);
    const [first, second] = inbox.items;
    expect(first).toEqual({ type: 'broadcast', event: 'stock', payload: { sku: 'A1', available: 3, id: expect.any(String) }, meta: { id: expect.any(String) } });
    expect((first!.payload as { id: string }).id).toBe(first!.meta!.id);
    expect((second!.payload as { sku: string }).sku).toBe('B2');
    await sleep(200);
    expect(inbox.items).toHaveLength(2);
  });

  it('comes from a trigger with realtime.broadcast_changes to a private channel', async () => {
    const run = randomUUID();
    const user = await userWithToken();
    track(user.client);
    const inbox = new Inbox<Msg>();
    await subscribed(user.client.channel(`rt-allowed:orders:${run}`, { config: { private: true } }).on('broadcast', { event: '*' }, inbox.push));
    const { rows } = await db().query(`insert into rt_orders (run, total) values ($1, 12.50) returning id`, [run]);
    await db().query(`update rt_orders set total = 20 where run = $1`, [run]);
    await db().query(`delete from rt_orders where run = $1`, [run]);
    await inbox.wait(3);
    const id = Number(rows[0].id);
    expect(inbox.items.map((m) => m.event)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(inbox.items[0]!.payload).toEqual({ id: expect.any(String), schema: 'public', table: 'rt_orders', operation: 'INSERT', record: { id, run, total: 12.5 }, old_record: null });
    expect(inbox.items[1]!.payload).toMatchObject({ operation: 'UPDATE', record: { id, run, total: 20 }, old_record: { id, run, total: 12.5 } });
    expect(inbox.items[2]!.payload).toMatchObject({ operation: 'DELETE', record: null, old_record: { id, run, total: 20 } });
  });

  it('keeps public and private topics of the same name apart', async () => {
    const topic = `rt-allowed:split-${randomUUID()}`;
    const user = await userWithToken();
    const visitor = track(anonClient());
    track(user.client);
    const privateBox = new Inbox<Msg>();
    const publicBox = new Inbox<Msg>();
    await subscribed(user.client.channel(topic, { config: { private: true } }).on('broadcast', { event: '*' }, privateBox.push));
    await subscribed(visitor.channel(topic).on('broadcast', { event: '*' }, publicBox.push));
    await db().query(`select realtime.send('{"to":"private"}'::jsonb, 'e', $1, true), realtime.send('{"to":"public"}'::jsonb, 'e', $1, false)`, [topic]);
    await privateBox.wait(1);
    await publicBox.wait(1);
    await sleep(200);
    expect(privateBox.items.map((m) => (m.payload as { to: string }).to)).toEqual(['private']);
    expect(publicBox.items.map((m) => (m.payload as { to: string }).to)).toEqual(['public']);
  });

  it('refuses a private channel without a policy, and allows it with one', async () => {
    const user = await userWithToken();
    track(user.client);
    const denied = user.client.channel(`rt-denied:${randomUUID()}`, { config: { private: true } });
    const { status, error } = await subscribe(denied);
    expect(status).toBe('CHANNEL_ERROR');
    expect(error?.message).toBe(`Unauthorized: You do not have permissions to read from this Channel topic: ${denied.subTopic}`);
    await user.client.removeChannel(denied);

    const visitor = track(anonClient());
    const anonDenied = visitor.channel(`rt-allowed:${randomUUID()}`, { config: { private: true } });
    expect((await subscribe(anonDenied)).status).toBe('CHANNEL_ERROR');
    await visitor.removeChannel(anonDenied);

    const allowed = await subscribed(user.client.channel(`rt-allowed:${randomUUID()}`, { config: { private: true } }));
    expect(allowed.state).toBe('joined');
  });

  it('delivers private broadcasts only when the sender may write', async () => {
    const writer = await userWithToken();
    const reader = await userWithToken();
    track(writer.client);
    track(reader.client);
    const allowedTopic = `rt-allowed:${randomUUID()}`;
    const readonlyTopic = `rt-readonly:${randomUUID()}`;
    const allowed = new Inbox<Msg>();
    const readonly = new Inbox<Msg>();
    await subscribed(reader.client.channel(allowedTopic, { config: { private: true } }).on('broadcast', { event: '*' }, allowed.push));
    await subscribed(reader.client.channel(readonlyTopic, { config: { private: true } }).on('broadcast', { event: '*' }, readonly.push));
    const w1 = await subscribed(writer.client.channel(allowedTopic, { config: { private: true, broadcast: { ack: true } } }));
    const w2 = await subscribed(writer.client.channel(readonlyTopic, { config: { private: true, broadcast: { ack: true } } }));
    expect(await w1.send({ type: 'broadcast', event: 'e', payload: { ok: true } })).toBe('ok');
    // Supabase drops a broadcast the insert policy refuses, without replying: the ack times out.
    expect(await w2.send({ type: 'broadcast', event: 'e', payload: { ok: false } }, { timeout: 500 })).toBe('timed out');
    await allowed.wait(1);
    expect(allowed.items[0]!.payload).toEqual({ ok: true });
    expect(readonly.items).toEqual([]);

    // REST: the service role may send to any private topic; a signed-in user only where it may write.
    const res = await fetch(`${stack().apiUrl}/realtime/v1/api/broadcast/${encodeURIComponent(readonlyTopic)}/events/e?private=true`, {
      method: 'POST',
      headers: { apikey: stack().anonKey, authorization: `Bearer ${writer.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ via: 'user' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
    const service = track(serviceClient());
    expect(await service.channel(readonlyTopic, { config: { private: true } }).httpSend('e', { via: 'service' })).toEqual({ success: true });
    await readonly.wait(1);
    expect(readonly.items.map((m) => m.payload)).toEqual([{ via: 'service' }]);
  });
});
