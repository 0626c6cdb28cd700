import { randomUUID } from 'node:crypto';
import type { RealtimePostgresChangesPayload } from '@supabase/supabase-js';
import { afterEach, describe, expect, it } from 'vitest';
import { closeClients, Inbox, subscribe, subscribed } from './realtime-helpers.ts';
import { anonClient, clientWithToken, db, serviceClient, tokenFor, userWithToken } from './support.ts';

type Change = RealtimePostgresChangesPayload<Record<string, unknown>>;
const clients: Array<ReturnType<typeof anonClient>> = [];
const track = <T extends ReturnType<typeof anonClient>>(c: T) => (clients.push(c), c);

afterEach(async () => {
  await closeClients(...clients.splice(0));
});

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('postgres_changes', () => {
  it('delivers INSERT, UPDATE and DELETE with Supabase payloads', async () => {
    const run = randomUUID();
    const client = track(anonClient());
    const inbox = new Inbox<Change>();
    const deletes = new Inbox<Change>();
    await subscribed(
      client
        .channel(`items-${run}`)
        .on('postgres_changes', { event: '*', schema: 'public', table: 'rt_items', filter: `run=eq.${run}` }, inbox.push)
        .on('postgres_changes', { event: 'DELETE', schema: 'public', table: 'rt_items' }, deletes.push),
    );

    const { rows } = await db().query(
      `insert into rt_items (run, name, qty, price, status, tags, meta, at) values ($1, 'apple', 3, 1.50, 'fresh', '{red,green}', '{"origin":"NZ"}', '2024-05-01T10:00:00Z') returning id`,
      [run],
    );
    const id = Number(rows[0].id);
    await db().query(`update rt_items set qty = 4 where id = $1`, [id]);
    await db().query(`delete from rt_items where id = $1`, [id]);
    const [insert, update] = await inbox.wait(2);
    const [del] = await deletes.wait(1, (c) => (c.old as { id: number }).id === id);

    const record = { id, run, name: 'apple', qty: 3, price: 1.5, status: 'fresh', tags: ['red', 'green'], meta: { origin: 'NZ' }, at: '2024-05-01T10:00:00+00:00' };
    expect(insert).toEqual({ schema: 'public', table: 'rt_items', commit_timestamp: expect.stringMatching(iso), eventType: 'INSERT', new: record, old: {}, errors: null });
    // Default replica identity: the old record of an UPDATE or DELETE is its primary key.
    expect(update).toEqual({ schema: 'public', table: 'rt_items', commit_timestamp: expect.stringMatching(iso), eventType: 'UPDATE', new: { ...record, qty: 4 }, old: { id }, errors: null });
    expect(del).toEqual({ schema: 'public', table: 'rt_items', commit_timestamp: expect.stringMatching(iso), eventType: 'DELETE', new: {}, old: { id }, errors: null });
    // The old row holds only the key, so a filter on another column cannot match a DELETE.
    expect(inbox.items.map((c) => c.eventType)).toEqual(['INSERT', 'UPDATE']);
  });

  it('sends whole old rows under replica identity full', async () => {
    const run = randomUUID();
    const client = track(anonClient());
    const inbox = new Inbox<Change>();
    await subscribed(client.channel(`full-${run}`).on('postgres_changes', { event: '*', schema: 'public', table: 'rt_items_full', filter: `run=eq.${run}` }, inbox.push));
    const { rows } = await db().query(`insert into rt_items_full (run, name, qty) values ($1, 'pear', 1) returning id`, [run]);
    const id = Number(rows[0].id);
    await db().query(`update rt_items_full set qty = 2 where id = $1`, [id]);
    await db().query(`delete from rt_items_full where id = $1`, [id]);
    const [, update, del] = await inbox.wait(3);
    expect(update!.old).toEqual({ id, run, name: 'pear', qty: 1 });
    expect(update!.new).toEqual({ id, run, name: 'pear', qty: 2 });
    // A DELETE filter is evaluated on the old row, which replica identity full provides.
    expect(del!.old).toEqual({ id, run, name: 'pear', qty: 2 });
  });

  it('filters with eq, neq, lt, lte, gt, gte and in, each binding getting only its matches', async () => {
    const run = randomUUID();
    const client = track(anonClient());
    const ops = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const;
    const inboxes = Object.fromEntries([...ops, 'in', 'not_in', 'text'].map((k) => [k, new Inbox<Change>()]));
    let channel = client.channel(`filters-${run}`);
    for (const op of ops) {
      channel = channel.on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run},qty=${op}.5` }, inboxes[op]!.push);
    }
    channel = channel
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run},status=in.(new,"on hold")` }, inboxes.in!.push)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run},status=not.in.(new,"on hold")` }, inboxes.not_in!.push)
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run},name=eq."a,b"` }, inboxes.text!.push);
    await subscribed(channel);

    await db().query(
      `insert into rt_items (run, name, qty, status) values ($1, 'x', 4, 'new'), ($1, 'a,b', 5, 'on hold'), ($1, 'y', 6, 'sold')`,
      [run],
    );
    // A last row every binding but eq/lt/lte/in/text sees marks the end of the stream.
    await db().query(`insert into rt_items (run, name, qty, status) values ($1, 'end', 9, 'sold')`, [run]);
    await inboxes.gte!.wait(3);
    await inboxes.not_in!.wait(2);
    const qtys = (k: string) => inboxes[k]!.items.map((c) => (c.new as { qty: number }).qty);
    expect(qtys('eq')).toEqual([5]);
    expect(qtys('neq')).toEqual([4, 6, 9]);
    expect(qtys('lt')).toEqual([4]);
    expect(qtys('lte')).toEqual([4, 5]);
    expect(qtys('gt')).toEqual([6, 9]);
    expect(qtys('gte')).toEqual([5, 6, 9]);
    expect(qtys('in')).toEqual([4, 5]);
    expect(qtys('not_in')).toEqual([6, 9]);
    expect(qtys('text')).toEqual([5]);
  });

  it('also filters with like, ilike, is and not., as current Supabase does', async () => {
    const run = randomUUID();
    const client = track(anonClient());
    const boxes = { like: new Inbox<Change>(), ilike: new Inbox<Change>(), isNull: new Inbox<Change>(), notIsNull: new Inbox<Change>() };
    await subscribed(
      client
        .channel(`more-filters-${run}`)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run},name=like.ap%` }, boxes.like.push)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run},name=ilike.AP%` }, boxes.ilike.push)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run},status=is.null` }, boxes.isNull.push)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run},status=not.is.null` }, boxes.notIsNull.push),
    );
    await db().query(`insert into rt_items (run, name, status) values ($1, 'apple', null), ($1, 'Apricot', 'ripe'), ($1, 'end', 'x')`, [run]);
    await boxes.notIsNull.wait(2);
    const names = (box: Inbox<Change>) => box.items.map((c) => (c.new as { name: string }).name);
    expect(names(boxes.like)).toEqual(['apple']);
    expect(names(boxes.ilike)).toEqual(['apple', 'Apricot']);
    expect(names(boxes.isNull)).toEqual(['apple']);
    expect(names(boxes.notIsNull)).toEqual(['Apricot', 'end']);
  });

  it('routes by event type and table', async () => {
    const run = randomUUID();
    const client = track(anonClient());
    const inserts = new Inbox<Change>();
    const deletes = new Inbox<Change>();
    await subscribed(
      client
        .channel(`events-${run}`)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run}` }, inserts.push)
        .on('postgres_changes', { event: 'DELETE', schema: 'public', table: 'rt_items_full', filter: `run=eq.${run}` }, deletes.push),
    );
    await db().query(`insert into rt_items (run, qty) values ($1, 1)`, [run]);
    await db().query(`update rt_items set qty = 2 where run = $1`, [run]);
    await db().query(`insert into rt_items_full (run, qty) values ($1, 1)`, [run]);
    await db().query(`delete from rt_items_full where run = $1`, [run]);
    await deletes.wait(1);
    expect(inserts.items.map((c) => c.eventType)).toEqual(['INSERT']);
    expect(deletes.items.map((c) => [c.eventType, c.table])).toEqual([['DELETE', 'rt_items_full']]);
  });

  it('gives each tenant only the rows its RLS policies let it read, and anon only public rows', async () => {
    const run = randomUUID();
    const alice = await userWithToken();
    const bob = await userWithToken();
    const visitor = track(anonClient());
    track(alice.client);
    track(bob.client);
    const boxes = { alice: new Inbox<Change>(), bob: new Inbox<Change>(), visitor: new Inbox<Change>() };
    const filter = `run=eq.${run}`;
    await subscribed(alice.client.channel(`notes-a-${run}`).on('postgres_changes', { event: '*', schema: 'public', table: 'rt_notes', filter }, boxes.alice.push));
    await subscribed(bob.client.channel(`notes-b-${run}`).on('postgres_changes', { event: '*', schema: 'public', table: 'rt_notes', filter }, boxes.bob.push));
    await subscribed(visitor.channel(`notes-v-${run}`).on('postgres_changes', { event: '*', schema: 'public', table: 'rt_notes', filter }, boxes.visitor.push));

    await db().query(`insert into rt_notes (run, owner, body) values ($1, $2, 'alice only')`, [run, alice.id]);
    await db().query(`insert into rt_notes (run, owner, body) values ($1, $2, 'bob only')`, [run, bob.id]);
    await db().query(`insert into rt_notes (run, owner, body, is_public) values ($1, $2, 'for everyone', true)`, [run, alice.id]);
    const bodies = async (box: Inbox<Change>) => (await box.wait(1, (c) => (c.new as { body?: string }).body === 'for everyone')) && box.items.map((c) => (c.new as { body: string }).body);
    expect(await bodies(boxes.alice)).toEqual(['alice only', 'for everyone']);
    expect(await bodies(boxes.bob)).toEqual(['bob only', 'for everyone']);
    expect(await bodies(boxes.visitor)).toEqual(['for everyone']);

    // Under RLS, Supabase cannot check a deleted row: every subscriber gets the DELETE, with the
    // primary key only (even under replica identity full).
    const { rows } = await db().query(`delete from rt_notes where run = $1 and body = 'alice only' returning id`, [run]);
    const del = (await boxes.bob.wait(1, (c) => c.eventType === 'DELETE'))[0]!;
    expect(del.old).toEqual({ id: Number(rows[0].id) });
    expect(del.new).toEqual({});
  });

  it('keeps delivering to others when a policy fails for one subscriber', async () => {
    const run = randomUUID();
    const alice = await userWithToken();
    // auth.uid() cannot cast this sub to a uuid: the policy raises for this subscriber only.
    const odd = clientWithToken(tokenFor({ sub: 'service-account-1' }));
    track(alice.client);
    track(odd);
    const boxes = { alice: new Inbox<Change>(), odd: new Inbox<Change>() };
    const filter = `run=eq.${run}`;
    await odd.realtime.setAuth();
    await subscribed(odd.channel(`notes-odd-${run}`).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_notes', filter }, boxes.odd.push));
    await subscribed(alice.client.channel(`notes-alice-${run}`).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_notes', filter }, boxes.alice.push));
    await db().query(`insert into rt_notes (run, owner, body, is_public) values ($1, $2, 'hello', true)`, [run, alice.id]);
    expect((await boxes.alice.wait(1))[0]!.new).toMatchObject({ body: 'hello' });
    await new Promise((r) => setTimeout(r, 200));
    expect(boxes.odd.items).toEqual([]);
  });

  it('applies a refreshed token to the RLS checks of later changes', async () => {
    const run = randomUUID();
    const alice = await userWithToken();
    const bob = await userWithToken();
    track(alice.client);
    const inbox = new Inbox<Change>();
    await subscribed(alice.client.channel(`notes-switch-${run}`).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_notes', filter: `run=eq.${run}` }, inbox.push));
    await alice.client.realtime.setAuth(bob.token);
    await new Promise((r) => setTimeout(r, 300));
    await db().query(`insert into rt_notes (run, owner, body) values ($1, $2, 'alice'), ($1, $3, 'bob')`, [run, alice.id, bob.id]);
    await db().query(`insert into rt_notes (run, owner, body, is_public) values ($1, null, 'end', true)`, [run]);
    await inbox.wait(1, (c) => (c.new as { body: string }).body === 'end');
    expect(inbox.items.map((c) => (c.new as { body: string }).body)).toEqual(['bob', 'end']);
  });

  it('limits the payload to the selected columns plus the primary key', async () => {
    const run = randomUUID();
    const client = track(anonClient());
    const inbox = new Inbox<Change>();
    await subscribed(client.channel(`select-${run}`).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_items', filter: `run=eq.${run}`, select: ['name'] }, inbox.push));
    const { rows } = await db().query(`insert into rt_items (run, name, qty) values ($1, 'kiwi', 7) returning id`, [run]);
    const [change] = await inbox.wait(1);
    expect(change!.new).toEqual({ id: Number(rows[0].id), name: 'kiwi' });
  });

  it('reports Supabase errors for tables without SELECT or without a primary key', async () => {
    const run = randomUUID();
    const client = track(anonClient());
    const staff = new Inbox<Change>();
    const nopk = new Inbox<Change>();
    await subscribed(
      client
        .channel(`errors-${run}`)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_staff' }, staff.push)
        .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_nopk' }, nopk.push),
    );
    await db().query(`insert into rt_staff (run, body) values ($1, 'secret')`, [run]);
    await db().query(`insert into rt_nopk (run, body) values ($1, 'x')`, [run]);
    const [s] = await staff.wait(1);
    const [n] = await nopk.wait(1);
    expect(s).toEqual({ schema: 'public', table: 'rt_staff', commit_timestamp: null, eventType: 'INSERT', new: {}, old: {}, errors: ['Error 401: Unauthorized'] });
    expect(n!.errors).toEqual(['Error 400: Bad Request, no primary key']);

    // service_role may read rt_staff and gets the row.
    const service = track(serviceClient());
    const box = new Inbox<Change>();
    await subscribed(service.channel(`staff-${run}`).on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'rt_staff', filter: `run=eq.${run}` }, box.push));
    await db().query(`insert into rt_staff (run, body) values ($1, 'for staff')`, [run]);
    expect((await box.wait(1))[0]!.new).toMatchObject({ run, body: 'for staff' });
  });

  it('refuses bindings Supabase refuses, with its system messages, and still joins', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ event: '*', schema: 'public', table: 'rt_unpublished' }, 'Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: *, schema: public, table: rt_unpublished, filters: [], select: nil]'],
      [{ event: '*', schema: 'public', table: 'rt_items', filter: 'qty=foo.1' }, 'Error parsing `filter` params: ["foo", "1"]'],
      [{ event: '*', schema: 'public', table: 'rt_items', filter: 'nope=eq.1' }, 'Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [event: *, schema: public, table: rt_items, filters: [{"nope", "eq", "1", false}], select: nil]. Exception: ERROR P0001 (raise_exception) invalid column for filter nope'],
      [{ event: '*', schema: 'public', table: 'rt_items', filter: 'qty=eq.abc' }, 'Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [event: *, schema: public, table: rt_items, filters: [{"qty", "eq", "abc", false}], select: nil]. Exception: ERROR 22P02 (invalid_text_representation) invalid input syntax for type integer: "abc"'],
    ];
    for (const [binding, message] of cases) {
      const client = track(anonClient());
      const system = new Inbox<Record<string, unknown>>();
      const channel = client.channel(`bad-${randomUUID()}`).on('postgres_changes', binding as never, () => undefined).on('system', {}, system.push);
      const { status } = await subscribe(channel);
      expect(status).toBe('SUBSCRIBED');
      const [msg] = await system.wait(1);
      expect(msg).toEqual({ extension: 'postgres_changes', status: 'error', message, channel: channel.subTopic });
    }
  });
});
