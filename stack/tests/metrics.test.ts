import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { METRICS_PATH, routeOf } from '../metrics.ts';
import { closeClients, subscribed } from './realtime-helpers.ts';
import { anonClient, stack } from './support.ts';

// The stack's Prometheus endpoint: only the service role may scrape it; it counts requests by
// route (never ids), times them, and reports Realtime, the REST pool and the database.

const scrape = (headers: Record<string, string> = {}) => fetch(`${stack().apiUrl}${METRICS_PATH}`, { headers });
const asServiceRole = () => ({ authorization: `Basic ${Buffer.from(`service_role:${stack().serviceRoleKey}`).toString('base64')}` });

async function metrics(): Promise<string> {
  const response = await scrape(asServiceRole());
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of the sample whose name and labels match exactly, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const clients: SupabaseClient[] = [];
afterEach(async () => closeClients(...clients.splice(0)));

describe('the metrics endpoint', () => {
  it('answers only the service role: 401 with a Basic challenge otherwise', async () => {
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    const refused: Array<Record<string, string>> = [{}, { apikey: stack().anonKey }, basic('service_role', stack().anonKey), basic('anon', stack().serviceRoleKey), { authorization: `Bearer ${stack().anonKey}` }];
    for (const headers of refused) {
      const response = await scrape(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="metrics"');
      expect(await response.json()).toMatchObject({ message: 'The metrics are for the service role' });
    }
    const allowed: Array<Record<string, string>> = [asServiceRole(), { apikey: stack().serviceRoleKey }, { authorization: `Bearer ${stack().serviceRoleKey}` }];
    for (const headers of allowed) {
      const response = await scrape(headers);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    }
  });

  it('counts and times requests by service, route, method and status', async () => {
    const table = `missing_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const { status } = await anonClient().from(table).select();
    expect(status).toBe(404);
    const text = await metrics();
    expect(sample(text, `http_requests_total{service="rest",route="/rest/v1/${table}",method="GET",status="404"}`)).toBe(1);
    expect(sample(text, `http_request_duration_seconds_count{service="rest",route="/rest/v1/${table}",method="GET",status_class="4xx"}`)).toBe(1);
    expect(sample(text, `http_request_duration_seconds_bucket{le="+Inf",service="rest",route="/rest/v1/${table}",method="GET",status_class="4xx"}`)).toBe(1);
  });

  it('reports Realtime connections, channels and events, the REST pool and the database', async () => {
    const client = anonClient();
    clients.push(client);
    await subscribed(client.channel(`metrics-${randomUUID()}`));
    const text = await metrics();
    expect(sample(text, 'realtime_connections_connected')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'realtime_channels_joined')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'realtime_channel_events_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'pgrst_db_pool_max')).toBe(20);
    expect(sample(text, 'pgrst_db_pool_available')).toBeLessThanOrEqual(20);
    expect(sample(text, 'pgrst_db_pool_waiting')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'pg_settings_max_connections')).toBe(300);
    expect(sample(text, 'pg_database_size_bytes')).toBeGreaterThan(1_000_000);
    expect(sample(text, 'pg_stat_database_blks_hit_total')).toBeGreaterThan(0);
    expect(sample(text, 'pg_stat_database_numbackends')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'realtime_replication_lag_bytes')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'realtime_replication_delay_seconds_count')).toBeGreaterThan(0);
    expect(sample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
  });
});

describe('route labels', () => {
  it.each([
    ['/rest/v1/products', 'rest', '/rest/v1/products'],
    ['/rest/v1/rpc/reserve_stock', 'rest', '/rest/v1/rpc/reserve_stock'],
    ['/rest/v1/Bad-Name', 'rest', '/rest/v1/:other'],
    ['/auth/v1/token', 'auth', '/auth/v1/token'],
    ['/auth/v1/admin/users/6f1c2b7e-3c7a-4e8b-9c1d-2a3b4c5d6e7f', 'auth', '/auth/v1/admin/users'],
    ['/realtime/v1/websocket', 'realtime', '/realtime/v1/websocket'],
    ['/realtime/v1/api/broadcast', 'realtime', '/realtime/v1/api/broadcast'],
    ['/health', 'gateway', '/health'],
    ['/wp-admin/login.php', 'gateway', 'other'],
  ])('%s is %s %s', (path, service, route) => expect(routeOf(path)).toEqual({ service, route }));
});
