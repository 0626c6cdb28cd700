import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createPool } from '../stack/pool.ts';
import { logTail, runChaos } from './chaos/run.ts';
import { LONG, printSummary } from './settings.ts';
import { stackTraceLines, startStackProcess, withDb, type StackProcess } from './stack-process.ts';

// npm test: a short load with both crashes; npm run verify: the full load.
const opts = LONG
  ? { shoppers: 200, vendors: 10, rate: 40, phaseSeconds: 20, probes: 20 }
  : { shoppers: 10, vendors: 2, rate: 8, phaseSeconds: 3, probes: 5 };

let stack: StackProcess;
beforeAll(async () => {
  stack = await startStackProcess('verify-chaos');
});
afterAll(async () => {
  await stack?.stop();
});

// Found by the long chaos run: a kill -9 of the postmaster ended the stack (an unhandled 'error' of a
// checked-out pool client). A terminated backend ends its connection the same way.
test('a pool connection that Postgres drops while it is checked out fails its next query and does not crash the process', async () => {
  const pool = createPool({ connectionString: stack.dbUrl, max: 1 }, 'test pool', () => undefined);
  const client = await pool.connect();
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  await withDb(stack.dbUrl, (db) => db.query('select pg_terminate_backend($1)', [rows[0]!.pid]));
  await delay(300);
  await expect(client.query('select 1')).rejects.toThrow();
  client.release(true);
  await pool.end();
});

// Found by the chaos run: terminating the REST pool's backends while requests ran ended the stack.
test('the stack survives its REST and Realtime connections being terminated under traffic', async () => {
  const pid = stack.pid();
  const read = () =>
    fetch(`${stack.apiUrl}/rest/v1/product_availability?select=product_id&limit=5`, { headers: { apikey: stack.anonKey } })
      .then((r) => r.status)
      .catch(() => 0);
  const traffic = Array.from({ length: 40 }, (_, i) => delay(i * 10).then(read));
  await delay(100);
  await withDb(stack.dbUrl, (db) =>
    db.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name in ('stack-rest', 'stack_realtime') and pid <> pg_backend_pid()"),
  );
  const statuses = await Promise.all(traffic);
  expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
  expect(stack.pid()).toBe(pid);
  expect(await stack.health()).toBe(200);
  expect(await read()).toBe(200);
  expect(stackTraceLines(stack.log())).toEqual([]);
});

test('chaos: kill -9 of the stack, then of its Postgres, during load: nothing acknowledged lost or applied twice, clients recover', async () => {
  const summary = await runChaos(stack, { ...opts, log: (line) => console.error(line) });
  printSummary(summary);
  if (summary.stack_kill.resync_ms === undefined || summary.postgres_kill.resync_ms === undefined) console.error(logTail(stack.log(), 40));
  for (const crash of [summary.stack_kill, summary.postgres_kill]) {
    expect(crash.recovered_ms).toBeDefined();
    // supabase-js retries its socket after 1, 2, 5 and then every 10 s: a rejoin may wait one step.
    expect(crash.rejoin_ms).toBeDefined();
    expect(crash.resync_ms).toBeDefined();
    expect(crash.postmasters).toBe(1);
    expect(crash.slots.filter((s) => !s.active)).toEqual([]);
  }
  expect(summary.acked_calls).toBeGreaterThan(0);
  expect(summary.lost_samples).toEqual([]);
  expect(summary.replay_mismatches).toBe(0);
  expect(summary.replay_new_rows).toBe(0);
  expect(summary.http_500).toBe(0);
  expect(summary.sim_oversell).toBe(0);
  expect(summary.invariants).toMatchObject({ oversold: 0, drift: 0, reserved_mismatch: 0 });
  expect(summary.stack_trace_lines).toBe(0);
}, LONG ? 600_000 : 150_000);
