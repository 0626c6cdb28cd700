import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../stack/migrate.ts';
import { closeClients, Inbox, subscribe, subscribed } from '../../stack/tests/realtime-helpers.ts';
import { anonClient, bootstrappedDatabase, db, serviceClient } from '../../stack/tests/support.ts';
import { createAdmin, createTenant, createUser, newKey, restock } from './helpers/fixtures.ts';
import { rolePool, rpc, rpcRows, serviceCaller } from './helpers/sql.ts';
import { call, ingest, uniqueOp } from './helpers/telemetry.ts';

// The admin monitoring API end to end: supabase-js over the stack's REST and Realtime, answers
// and refusals as PostgREST shapes them, and what the maintenance job samples.

const clients: SupabaseClient[] = [];
const track = (client: SupabaseClient) => (clients.push(client), client);
afterEach(async () => closeClients(...clients.splice(0)));

describe('who may read monitoring data, over REST', () => {
  it('answers admins, refuses signed-in non-admins with 403 admin_required and anon with 401', async () => {
    const [admin, customer, tenant] = await Promise.all([createAdmin(), createUser(), createTenant()]);
    const ok = await admin.client.rpc('admin_health', { range_seconds: 900, step_seconds: 60 });
    expect(ok.error).toBeNull();
    expect(ok.data).toHaveLength(15);
    for (const client of [customer.client, tenant.owner.client]) {
      const { error, status } = await client.rpc('admin_health', { range_seconds: 900, step_seconds: 60 });
      expect(status).toBe(403);
      expect(error).toMatchObject({ code: 'admin_required', message: 'Only platform admins can read monitoring data', hint: 'Sign in as a user whose app_metadata.role is admin.' });
    }
    const anon = await anonClient().rpc('admin_recent_errors', { max_rows: 5 });
    expect(anon.status).toBe(401);
    expect(anon.error).toMatchObject({ code: '42501', message: 'permission denied for function admin_recent_errors' });
  });

  it('refuses a malformed telemetry batch with a 400 body in PostgREST\'s shape, and accepts a good one', async () => {
    const client = anonClient();
    const bad = await client.rpc('ingest_telemetry', { batch: { v: 1, api: [{ op: 'rest:products', method: 'GET', status: 200, ms: 3 }] }, idempotency_key: newKey() });
    expect(bad.status).toBe(400);
    expect(bad.error).toEqual({
      code: 'telemetry_invalid',
      message: 'The telemetry batch is invalid',
      details: 'api[0].age_ms: must be a number of milliseconds between 0 and 3600000',
      hint: 'Send {v: 1, api: [...], cache: [...], realtime: [...], lag: [...]} as supabase/README.md describes.',
    });
    const good = await client.rpc('ingest_telemetry', { batch: { v: 1, api: [call(uniqueOp())] }, idempotency_key: newKey() });
    expect(good.error).toBeNull();
    expect(good.data).toEqual({ accepted: { api: 1, cache: 0, realtime: 0, lag: 0 } });
  });

  it('checks ranges and steps: 400 invalid_argument outside 60 s..48 h, steps not whole minutes, over 1440 steps', async () => {
    const admin = await createAdmin();
    for (const [range, step, message] of [
      [30, 60, 'range_seconds must be between 60 and 172800'],
      [3600, 45, 'step_seconds must be a multiple of 60, at most the range and 1440 steps per range'],
      [172_800, 60, 'step_seconds must be a multiple of 60, at most the range and 1440 steps per range'],
      [600, 1200, 'step_seconds must be a multiple of 60, at most the range and 1440 steps per range'],
    ] as const) {
      const { error, status } = await admin.client.rpc('admin_api_series', { range_seconds: range, step_seconds: step });
      expect(status).toBe(400);
      expect(error).toMatchObject({ code: 'invalid_argument', message });
    }
    const day = await admin.client.rpc('admin_api_series', { range_seconds: 86_400, step_seconds: 900 });
    expect(day.data).toHaveLength(96);
    const hourly = await admin.client.rpc('admin_api_series', { range_seconds: 86_400, step_seconds: 3600 });
    expect(hourly.data).toHaveLength(24);
    // Whole-hour steps end with the current hour.
    expect(new Date(hourly.data!.at(-1)!.bucket).getUTCMinutes()).toBe(0);
  });
});

describe('what the admin functions answer', () => {
  it('counts a vendor\'s calls, errors and ledger (admin_vendors), lists failed calls with request ids (admin_recent_errors)', async () => {
    const tenant = await createTenant({ locations: 1 });
    await restock(tenant.productIds[0]!, tenant.locationIds[0]!, 10);
    const shopper = await createUser();
    const reserve = () => rpc<{ id: string }>(shopper.caller, 'reserve_stock', { product_id: tenant.productIds[0], quantity: 1, idempotency_key: newKey() });
    const [r1] = [await reserve(), await reserve()];
    await rpc(shopper.caller, 'checkout', { reservation_ids: [r1.data.id], idempotency_key: newKey() });
    const op = uniqueOp();
    const rid = randomUUID();
    await ingest(tenant.owner.caller, { v: 1, api: [call(op, { ms: 10 }), call(op, { ms: 20 }), call(op, { status: 500, ms: 30, rid })] });

    const vendors = await rpcRows<Record<string, unknown>>(serviceCaller, 'admin_vendors', { range_seconds: 600 });
    expect(vendors.find((v) => v.vendor_id === tenant.vendorId)).toMatchObject({ requests: 3, errors: 1, reservations: 2, checkouts: 1 });
    const errors = await rpcRows<Record<string, unknown>>(serviceCaller, 'admin_recent_errors', { max_rows: 500 });
    expect(errors.find((e) => e.operation === op)).toMatchObject({ status: 500, outcome: 'error', request_id: rid, vendor_id: tenant.vendorId, anon: false });
    const operations = await rpcRows<Record<string, unknown>>(serviceCaller, 'admin_operations', { range_seconds: 600 });
    const row = operations.find((o) => o.operation === op)!;
    expect(row).toMatchObject({ method: 'POST', requests: 3, errors: 1, rejections: 0, mean_ms: 20 });
    expect(row.p50_ms as number).toBeGreaterThanOrEqual(16);
    expect(row.p50_ms as number).toBeLessThanOrEqual(22.7);
  });

  it('samples database health into a time series the series functions read', async () => {
    await rpc(serviceCaller, 'sample_database_health');
    const { rows: [sample] } = await db().query(`select * from private.database_health_samples order by sampled_at desc limit 1`);
    expect(sample).toMatchObject({ max_connections: 300 });
    expect(sample.connections).toBeGreaterThanOrEqual(1);
    expect(Number(sample.database_bytes)).toBeGreaterThan(1_000_000);
    expect(sample.replication_slots).toBeGreaterThanOrEqual(1);
    expect(Number(sample.blks_hit)).toBeGreaterThan(0);
    // Blocks read between the two samples, with the statistics flushed (they are per backend until then).
    const reader = await db().connect();
    try {
      await reader.query('select count(*) from public.products');
      await reader.query('select pg_stat_force_next_flush()');
      await reader.query('select 1');
    } finally {
      reader.release();
    }
    await rpc(serviceCaller, 'sample_database_health');
    const series = await rpcRows<Record<string, number | null>>(serviceCaller, 'admin_database_series', { range_seconds: 120, step_seconds: 60 });
    expect(series.at(-1)!.max_connections).toBe(300);
    // Whichever sample caught the reads, its step has a ratio; every ratio is one.
    const ratios = series.map((r) => r.cache_hit_ratio).filter((v): v is number => v !== null);
    expect(ratios.some((v) => v > 0)).toBe(true);
    expect(ratios.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('lists the top statements from pg_stat_statements, their share of the total time', async () => {
    const admin = await createAdmin();
    const { data, error } = await admin.client.rpc('admin_top_statements', { max_rows: 5 });
    expect(error).toBeNull();
    expect(data!.length).toBe(5);
    const shares = data!.map((s: { share: number }) => s.share);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    expect(data![0]).toMatchObject({ calls: expect.any(Number), total_ms: expect.any(Number), since: expect.any(String) });
  });

  it('answers 503 statements_unavailable where pg_stat_statements is not installed', async () => {
    const name = `no_statements_${Math.random().toString(36).slice(2, 10)}`;
    const { url, adminUrl } = await bootstrappedDatabase(name);
    const scratch = new pg.Client({ connectionString: url });
    try {
      await scratch.connect();
      await migrate(scratch, path.resolve(import.meta.dirname, '..'), () => undefined);
      // The platform's extension: the platform drops it.
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query('drop extension pg_stat_statements').finally(() => admin.end());
      await scratch.query('begin');
      await scratch.query(`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
      const err = await scratch.query('select * from public.admin_top_statements(5)').then(() => null, (e: pg.DatabaseError) => e);
      expect(JSON.parse(err!.message)).toEqual({
        code: 'statements_unavailable', message: 'pg_stat_statements is not installed',
        details: 'the extension pg_stat_statements does not exist in this database', hint: 'create extension pg_stat_statements with schema extensions',
      });
      expect(JSON.parse(err!.detail!)).toMatchObject({ status: 503 });
    } finally {
      await scratch.end();
      await db().query(`drop database if exists ${name} with (force)`);
    }
  });

  it('lists every alert rule with its condition, and fires ledger drift when a sample shows drift', async () => {
    const admin = await createAdmin();
    const client = await rolePool().connect();
    try {
      await client.query('begin');
      await client.query(`insert into private.domain_samples values (now() + interval '1 hour', 0, 0, 0, 0, 3)`);
      await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify(admin.caller.claims)]);
      const { rows } = await client.query(`select * from public.admin_alerts()`);
      expect(rows.map((r) => r.rule)).toEqual(['latency', 'errors', 'cache', 'lag', 'connections', 'replication', 'long_transaction', 'lock_waits', 'deadlocks', 'drift']);
      expect(rows.find((r) => r.rule === 'drift')).toEqual({
        rule: 'drift', title: 'Ledger drift', condition: 'Any stock level that disagrees with its ledger is critical', severity: 'critical', value: 3, unit: 'rows', firing: true,
      });
      expect(rows.every((r) => typeof r.condition === 'string' && r.condition.length > 10)).toBe(true);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('tells the database\'s clock, for the browser\'s offset estimate', async () => {
    const admin = await createAdmin();
    const before = Date.now();
    const { data } = await admin.client.rpc('admin_clock');
    expect(data).toBeGreaterThan(before - 5000);
    expect(data).toBeLessThan(Date.now() + 5000);
  });
});

describe('the realtime canary', () => {
  it('reaches admins on the private monitoring:canary topic with the database\'s clock, and no one else', async () => {
    const [admin, customer, tenant] = await Promise.all([createAdmin(), createUser(), createTenant()]);
    const inbox = new Inbox<{ payload: { seq: number; sent_at: number } }>();
    await subscribed(track(admin.client).channel('monitoring:canary', { config: { private: true } }).on('broadcast', { event: 'canary' }, inbox.push));
    await rpc(serviceCaller, 'send_realtime_canary');
    const [first] = await inbox.wait(1);
    expect(Number.isInteger(first!.payload.seq)).toBe(true);
    expect(Math.abs(first!.payload.sent_at - Date.now())).toBeLessThan(10_000);

    for (const client of [customer.client, tenant.owner.client, anonClient()]) {
      const { status, error } = await subscribe(track(client).channel('monitoring:canary', { config: { private: true } }));
      expect(status).toBe('CHANNEL_ERROR');
      expect(error?.message).toBe('Unauthorized: You do not have permissions to read from this Channel topic: monitoring:canary');
    }
    // The service role bypasses RLS, on Supabase as here.
    expect((await subscribe(track(serviceClient()).channel('monitoring:canary', { config: { private: true } }))).status).toBe('SUBSCRIBED');
  });
});
