import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { bucketOf } from '../../src/lib/telemetry/histogram.ts';
import { addMember, createTenant, createUser } from './helpers/fixtures.ts';
import { anonCaller, apiError, rolePool, serviceCaller, toApiError, type Caller } from './helpers/sql.ts';
import { apiRows, call, histogramWith, ingest, uniqueOp, type Batch } from './helpers/telemetry.ts';

// public.ingest_telemetry: the one way telemetry gets in. Valid batches become per-minute
// rollups (dated by the server's clock), failed calls become error rows; every malformed batch is
// refused with a 400 naming the offending field, and nothing of it is stored.

describe('ingest_telemetry: what a valid batch stores', () => {
  it('rolls calls up per minute, operation, status and code with a latency histogram, and keeps failed calls with their request id', async () => {
    const tenant = await createTenant();
    const member = await addMember(tenant.vendorId);
    const op = uniqueOp();
    const rid = randomUUID();
    const { data } = await ingest(member.caller, {
      v: 1,
      api: [
        call(op, { ms: 3 }),
        call(op, { ms: 3.5, w: 4 }),
        call(op, { ms: 300, replayed: true }),
        call(op, { ms: 500_000 }),
        call(op, { ms: 20, age_ms: 120_000 }),
        call(op, { status: 409, code: 'insufficient_stock', ms: 40, rid }),
        call(op, { status: 500, code: 'PGRSTX00', ms: 90 }),
        call(op, { status: 0, code: 'network_error', ms: 5000 }),
      ],
    } satisfies Batch);
    expect(data).toEqual({ accepted: { api: 8, cache: 0, realtime: 0, lag: 0 } });

    const rows = await apiRows(op);
    // Dated by the server's clock: the call sent 120 s after it happened lands two minutes back.
    const twoMinutesAgo = rows.find((r) => r.duration_ms_sum === 20)!;
    const ok = rows.find((r) => r.status === 200 && r !== twoMinutesAgo)!;
    expect(ok.minute - twoMinutesAgo.minute).toBe(120);

    // Weights count: 1 + 4 + 1 + 1 calls; 500 s is clamped to 120 s.
    expect(ok).toMatchObject({ method: 'POST', code: null, outcome: 'ok', vendor_id: tenant.vendorId, anon: false, requests: 7, replays: 1 });
    expect(ok.duration_ms_sum).toBeCloseTo(3 + 3.5 * 4 + 300 + 120_000, 6);
    expect(ok.histogram).toEqual(histogramWith({ [bucketOf(3)]: 1, [bucketOf(3.5)]: 4, [bucketOf(300)]: 1, 66: 1 }));
    expect(rows.filter((r) => r.status !== 200).map((r) => [r.status, r.code, r.outcome, r.requests])).toEqual([
      [0, 'network_error', 'error', 1],
      [409, 'insufficient_stock', 'rejected', 1],
      [500, 'PGRSTX00', 'error', 1],
    ]);

    const { rows: errors } = await db().query(
      `select status, code, outcome, vendor_id, anon, request_id, duration_ms from private.telemetry_errors where operation = $1 order by status`,
      [op],
    );
    expect(errors).toEqual([
      { status: 0, code: 'network_error', outcome: 'error', vendor_id: tenant.vendorId, anon: false, request_id: null, duration_ms: 5000 },
      { status: 409, code: 'insufficient_stock', outcome: 'rejected', vendor_id: tenant.vendorId, anon: false, request_id: rid, duration_ms: 40 },
      { status: 500, code: 'PGRSTX00', outcome: 'error', vendor_id: tenant.vendorId, anon: false, request_id: null, duration_ms: 90 },
    ]);
  });

  it('counts a call for the vendor it names when that vendor exists; else for the caller\'s only vendor, else for none', async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const shopper = await createUser();
    const op = uniqueOp();
    await ingest(a.owner.caller, { v: 1, api: [call(op, { vendor: b.vendorId }), call(op, { vendor: randomUUID(), status: 201 }), call(op, { status: 204 })] });
    await ingest(shopper.caller, { v: 1, api: [call(op, { vendor: b.vendorId, status: 202 }), call(op, { vendor: randomUUID(), status: 203 })] });
    await ingest(anonCaller, { v: 1, api: [call(op, { status: 206 })] });
    const byStatus = Object.fromEntries((await apiRows(op)).map((r) => [r.status, [r.vendor_id, r.anon]]));
    expect(byStatus).toEqual({
      200: [b.vendorId, false],
      201: [a.vendorId, false],
      204: [a.vendorId, false],
      202: [b.vendorId, false],
      203: [null, false],
      206: [null, true],
    });
  });

  it('rolls cache reads and realtime channels up per minute and key, and canary lag into a histogram', async () => {
    const user = await createUser();
    const key = `k${randomUUID().slice(0, 8)}`;
    const channel = `c ${randomUUID().slice(0, 8)}`;
    await ingest(user.caller, {
      v: 1,
      cache: [{ key, hits: 5, stale: 2, misses: 1, fetches: 3, age_ms: 0 }, { key, hits: 1, stale: 0, misses: 1, fetches: 1, age_ms: 0 }],
      realtime: [{ channel, joins: 2, rejoins: 1, drops: 1, live_s: 30.5, age_ms: 0 }],
      lag: [{ ms: 40, age_ms: 0, channel }, { ms: 60, age_ms: 0, channel }, { ms: 200_000, age_ms: 0, channel }],
    } satisfies Batch);
    const { rows: cache } = await db().query(`select hits, stale_hits, misses, fetches, anon from private.telemetry_cache_minutes where query_key = $1`, [key]);
    expect(cache).toEqual([{ hits: 6, stale_hits: 2, misses: 2, fetches: 4, anon: false }]);
    const { rows: realtime } = await db().query(
      `select joins, rejoins, drops, live_seconds, lag_samples, lag_ms_sum, lag_histogram from private.telemetry_realtime_minutes where channel = $1`,
      [channel],
    );
    expect(realtime).toEqual([
      { joins: 2, rejoins: 1, drops: 1, live_seconds: 30.5, lag_samples: 3, lag_ms_sum: 120_100, lag_histogram: histogramWith({ [bucketOf(40)]: 1, [bucketOf(60)]: 1, 66: 1 }) },
    ]);
  });

  it('replays a batch sent twice under one key instead of counting it twice; the key with another batch is 422', async () => {
    const user = await createUser();
    const op = uniqueOp();
    const key = `telemetry-${randomUUID()}`;
    const batch = { v: 1, api: [call(op)] };
    const first = await ingest(user.caller, batch, key);
    const again = await ingest(user.caller, batch, key);
    expect(again.data).toEqual(first.data);
    expect(again.headers).toEqual({ 'Idempotent-Replayed': 'true' });
    expect((await apiRows(op)).map((r) => r.requests)).toEqual([1]);
    const err = await apiError(ingest(user.caller, { v: 1, api: [call(op, { ms: 13 })] }, key));
    expect([err.status, err.code]).toEqual([422, 'idempotency_key_reused']);
  });
});

describe('ingest_telemetry: every malformed batch is refused and stores nothing', () => {
  const op = uniqueOp();
  const good = call(op);
  const cacheItem = { key: 'catalog', hits: 1, stale: 0, misses: 0, fetches: 0, age_ms: 0 };
  const realtimeItem = { channel: 'stock levels', joins: 1, rejoins: 0, drops: 0, live_s: 1, age_ms: 0 };
  const cases: Array<[string, unknown, string]> = [
    ['no batch', null, 'batch: is required'],
    ['an array', [good], 'batch: must be an object'],
    ['no version', { api: [good] }, 'batch.v: must be 1'],
    ['another version', { v: 2, api: [good] }, 'batch.v: must be 1'],
    ['an unknown top-level field', { v: 1, api: [good], user: 'someone@example.com' }, 'batch.user: is not a known field'],
    ['no events', { v: 1, api: [], lag: [] }, 'batch: has no events'],
    ['api not an array', { v: 1, api: { 0: good } }, 'batch.api: must be an array'],
    ['an item that is not an object', { v: 1, api: [good, 'GET /rest/v1/products'] }, 'api[1].item: must be an object'],
    ['a token smuggled in a field', { v: 1, api: [good, { ...good, authorization: 'Bearer eyJ...' }] }, 'api[1].authorization: is not a known field'],
    ['a body smuggled in a field', { v: 1, api: [{ ...good, body: '{"email":"a@b.c"}' }] }, 'api[0].body: is not a known field'],
    ['an email in the operation', { v: 1, api: [{ ...good, op: 'rest:someone@example.com' }] }, 'api[0].op: must be "<service>:<name>" in lower case (rest:products, rpc:reserve_stock), at most 100 characters'],
    ['a query string in the operation', { v: 1, api: [{ ...good, op: 'rest:products?email=eq.a' }] }, 'api[0].op: must be "<service>:<name>" in lower case (rest:products, rpc:reserve_stock), at most 100 characters'],
    ['an unknown service', { v: 1, api: [{ ...good, op: 'graphql:products' }] }, 'api[0].op: must be "<service>:<name>" in lower case (rest:products, rpc:reserve_stock), at most 100 characters'],
    ['an unknown method', { v: 1, api: [{ ...good, method: 'TRACE' }] }, 'api[0].method: must be GET, HEAD, POST, PATCH, PUT or DELETE'],
    ['a status out of range', { v: 1, api: [{ ...good, status: 600 }] }, 'api[0].status: must be an HTTP status (100..599) or 0 for no response'],
    ['a fractional status', { v: 1, api: [{ ...good, status: 200.5 }] }, 'api[0].status: must be an HTTP status (100..599) or 0 for no response'],
    ['a status as text', { v: 1, api: [{ ...good, status: '200' }] }, 'api[0].status: must be an HTTP status (100..599) or 0 for no response'],
    ['a code with spaces', { v: 1, api: [{ ...good, code: 'permission denied for table' }] }, 'api[0].code: must be null or an error code of 1 to 64 letters, digits and _'],
    ['a negative duration', { v: 1, api: [{ ...good, ms: -1 }] }, 'api[0].ms: must be a number of milliseconds between 0 and 1e9'],
    ['an absurd duration', { v: 1, api: [{ ...good, ms: 1e12 }] }, 'api[0].ms: must be a number of milliseconds between 0 and 1e9'],
    ['a duration as text', { v: 1, api: [{ ...good, ms: '12' }] }, 'api[0].ms: must be a number of milliseconds between 0 and 1e9'],
    ['no age', { v: 1, api: [{ op, method: 'GET', status: 200, ms: 1 }] }, 'api[0].age_ms: must be a number of milliseconds between 0 and 3600000'],
    ['an event over an hour old', { v: 1, api: [{ ...good, age_ms: 3_600_001 }] }, 'api[0].age_ms: must be a number of milliseconds between 0 and 3600000'],
    ['an email as request id', { v: 1, api: [{ ...good, rid: 'someone@example.com' }] }, 'api[0].rid: must be null or a request id of 8 to 64 letters, digits and -'],
    ['a vendor that is not a uuid', { v: 1, api: [{ ...good, vendor: 'Northwind' }] }, 'api[0].vendor: must be null or a vendor id (a lower-case UUID)'],
    ['replayed as text', { v: 1, api: [{ ...good, replayed: 'yes' }] }, 'api[0].replayed: must be a boolean'],
    ['a zero weight', { v: 1, api: [{ ...good, w: 0 }] }, 'api[0].w: must be an integer weight between 1 and 1000'],
    ['a fractional weight', { v: 1, api: [{ ...good, w: 1.5 }] }, 'api[0].w: must be an integer weight between 1 and 1000'],
    ['a cache key in capitals', { v: 1, api: [good], cache: [{ ...cacheItem, key: 'Catalog' }] }, 'cache[0].key: must be a query key root of 1 to 40 lower-case letters, digits, _ and -'],
    ['negative cache misses', { v: 1, api: [good], cache: [cacheItem, { ...cacheItem, misses: -1 }] }, 'cache[1].misses: must be an integer between 0 and 100000'],
    ['an unknown cache field', { v: 1, cache: [{ ...cacheItem, queryKey: ['catalog', 'someone@example.com'] }] }, 'cache[0].queryKey: is not a known field'],
    ['a channel label with a topic id', { v: 1, realtime: [{ ...realtimeItem, channel: 'vendor:6f1c…:stock' }] }, 'realtime[0].channel: must be a channel label of 1 to 40 lower-case letters, digits, spaces, _ and -'],
    ['fractional rejoins', { v: 1, realtime: [{ ...realtimeItem, rejoins: 0.5 }] }, 'realtime[0].rejoins: must be an integer between 0 and 10000'],
    ['negative live seconds', { v: 1, realtime: [{ ...realtimeItem, live_s: -3 }] }, 'realtime[0].live_s: must be a number of channel-seconds between 0 and 360000'],
    ['a negative lag', { v: 1, lag: [{ ms: -5, age_ms: 0 }] }, 'lag[0].ms: must be a number of milliseconds between 0 and 1e9'],
    ['a lag without age', { v: 1, lag: [{ ms: 5 }] }, 'lag[0].age_ms: must be a number of milliseconds between 0 and 3600000'],
  ];

  for (const [name, batch, details] of cases) {
    it(`refuses ${name}: 400 telemetry_invalid, "${details}"`, async () => {
      const err = await apiError(ingest(anonCaller, batch));
      expect({ status: err.status, code: err.code, message: err.message, details: err.details }).toEqual({
        status: 400, code: 'telemetry_invalid', message: 'The telemetry batch is invalid', details,
      });
      expect(err.hint).toBe('Send {v: 1, api: [...], cache: [...], realtime: [...], lag: [...]} as supabase/README.md describes.');
    });
  }

  it('refuses more items than allowed, and more than 64 KiB, with 413 telemetry_too_large', async () => {
    const many = await apiError(ingest(anonCaller, { v: 1, api: Array.from({ length: 201 }, () => good) }));
    expect([many.status, many.code, many.details]).toEqual([413, 'telemetry_too_large', 'api has 201, cache 0, realtime 0 and lag 0 items; at most 200, 50, 50 and 200']);
    const big = await apiError(ingest(anonCaller, { v: 1, api: [good], padding: 'x'.repeat(70_000) }));
    expect([big.status, big.code]).toEqual([413, 'telemetry_too_large']);
    expect(big.details).toMatch(/^the batch is \d+ bytes; at most 65536$/);
  });

  it('refuses a batch without an idempotency key', async () => {
    const err = await apiError(ingest(anonCaller, { v: 1, api: [good] }, ''));
    expect([err.status, err.code]).toEqual([400, 'idempotency_key_required']);
  });

  it('stored nothing of the refused batches', async () => {
    expect(await apiRows(op)).toEqual([]);
    const { rows } = await db().query(`select count(*)::int as n from private.telemetry_errors where operation = $1`, [op]);
    expect(rows[0]).toEqual({ n: 0 });
  });
});

describe('ingest_telemetry: limits', () => {
  /**
   * Runs the call as `caller` in one transaction after `arrange` (as the superuser), then rolls it
   * all back: the limits' state is shared by every test, so it never outlives the test.
   */
  async function inRolledBack(caller: Caller, arrange: string, params: unknown[], headers: Record<string, string> = {}) {
    const client = await rolePool().connect();
    try {
      await client.query('begin');
      if (arrange) await client.query(arrange, params);
      await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('request.headers', $3, true)`,
        [caller.role, JSON.stringify(caller.claims), JSON.stringify(headers)]);
      await client.query(`select public.ingest_telemetry($1, $2)`, [{ v: 1, api: [call('rpc:limits')] }, `telemetry-${randomUUID()}`]);
      return 'ok';
    } catch (err) {
      return toApiError(err, caller.role);
    } finally {
      await client.query('rollback').catch(() => undefined);
      client.release();
    }
  }
  const exhaust = `insert into private.rate_limits (caller, tat) values ($1, clock_timestamp() + interval '60 seconds')
                   on conflict (caller) do update set tat = excluded.tat`;

  it('lets a user send a burst of 30 batches, then answers 429 with Retry-After', async () => {
    const user = await createUser();
    for (let i = 0; i < 30; i++) await ingest(user.caller, { v: 1, api: [call('rpc:burst')] });
    const err = await apiError(ingest(user.caller, { v: 1, api: [call('rpc:burst')] }));
    expect([err.status, err.code, err.message, err.details]).toEqual([429, 'rate_limited', 'Too many telemetry batches', 'at most 30 batches per minute for each user']);
    expect(Number(err.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    // Another user is not limited by it.
    await ingest((await createUser()).caller, { v: 1, api: [call('rpc:burst')] });
  });

  it('limits each anonymous client address, when the gateway names one', async () => {
    const err = await inRolledBack(anonCaller, exhaust, ['telemetry:anon:203.0.113.7'], { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' });
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', details: 'at most 30 batches per minute for each anonymous client address', headers: { 'Retry-After': '2' } });
    expect(await inRolledBack(anonCaller, exhaust, ['telemetry:anon:203.0.113.7'], { 'x-forwarded-for': '198.51.100.9' })).toBe('ok');
  });

  it('caps all anonymous callers together, without touching signed-in users', async () => {
    const err = await inRolledBack(anonCaller, exhaust, ['telemetry:anon']);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', details: 'at most 1200 batches per minute for all anonymous callers together' });
    const user = await createUser();
    expect(await inRolledBack(user.caller, exhaust, ['telemetry:anon'])).toBe('ok');
  });

  it('is not open to the service role (telemetry comes from browsers)', async () => {
    const err = await apiError(ingest(serviceCaller, { v: 1, api: [call('rpc:limits')] }));
    expect([err.status, err.code, err.message]).toEqual([403, '42501', 'permission denied for function ingest_telemetry']);
  });

  it('writes nothing but telemetry, its rate limit and its idempotency key', async () => {
    const tenant = await createTenant();
    const client = await rolePool().connect();
    try {
      await client.query('begin');
      await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify(tenant.owner.caller.claims)]);
      await client.query(`select public.ingest_telemetry($1, $2)`, [{
        v: 1,
        api: [call(uniqueOp(), { status: 500, vendor: tenant.vendorId })],
        cache: [{ key: 'catalog', hits: 1, stale: 0, misses: 0, fetches: 1, age_ms: 0 }],
        realtime: [{ channel: 'stock levels', joins: 1, rejoins: 0, drops: 0, live_s: 1, age_ms: 0 }],
        lag: [{ ms: 10, age_ms: 0 }],
      }, `telemetry-${randomUUID()}`]);
      await client.query('reset role');
      const { rows } = await client.query<{ name: string }>(
        `select schemaname || '.' || relname as name from pg_stat_xact_all_tables where n_tup_ins + n_tup_upd + n_tup_del > 0 order by 1`,
      );
      expect(rows.map((r) => r.name)).toEqual([
        'private.idempotency_keys', 'private.rate_limits', 'private.telemetry_api_minutes', 'private.telemetry_cache_minutes',
        'private.telemetry_errors', 'private.telemetry_realtime_minutes',
      ]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
