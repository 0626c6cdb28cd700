import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLoad, summarize } from './load/run.ts';
import { LONG, printSummary } from './settings.ts';
import { startStackProcess, stackTraceLines, withDb, type StackProcess } from './stack-process.ts';

// npm run verify only: 10 minutes of load, sampled every 10 s (VERIFY_SOAK_SECONDS shortens it).
const SECONDS = Number(process.env.VERIFY_SOAK_SECONDS) || 600;
const EVERY_MS = 10_000;
const opts = { shoppers: 100, vendors: 6, rate: 20 };
/** The stack's pools at most (REST 20, admin 10, realtime 4), its LISTEN and replication connections, and a margin. */
const MAX_BACKENDS = 50;

let stack: StackProcess;
beforeAll(async () => {
  if (LONG) stack = await startStackProcess('verify-soak');
});
afterAll(async () => {
  await stack?.stop();
});

interface Sample {
  t_s: number;
  rss_mb: number;
  backends: number;
  slots: number;
}

function rssMb(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

/** Least-squares slope of y over t, per minute. */
function slopePerMinute(points: Array<[number, number]>): number {
  const n = points.length;
  const mt = points.reduce((s, [t]) => s + t, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [t, y]) => s + (t - mt) * (y - my), 0);
  const den = points.reduce((s, [t]) => s + (t - mt) ** 2, 0);
  return den === 0 ? 0 : Math.round((num / den) * 60 * 100) / 100;
}

function curve(samples: Sample[], key: keyof Omit<Sample, 't_s'>) {
  const ys = samples.map((s) => s[key]);
  return { min: Math.min(...ys), max: Math.max(...ys), last: ys.at(-1)!, slope_per_min: slopePerMinute(samples.map((s) => [s.t_s, s[key]])) };
}

test.skipIf(!LONG)(`soak: ${SECONDS} s of load; the stack's memory, connections and slots stay bounded`, async () => {
  const logStart = stack.log().length;
  const run = await startLoad(stack, { ...opts, log: (line) => console.error(`sim: ${line}`) });
  const started = performance.now();
  const samples: Sample[] = [];
  while (performance.now() - started < SECONDS * 1000) {
    const { backends, slots } = await withDb(stack.dbUrl, async (db) => {
      const { rows } = await db.query<{ backends: number; slots: number }>(
        `select (select count(*)::int from pg_stat_activity where backend_type in ('client backend', 'walsender') and pid <> pg_backend_pid()) as backends,
                (select count(*)::int from pg_replication_slots) as slots`,
      );
      return rows[0]!;
    });
    samples.push({ t_s: Math.round((performance.now() - started) / 1000), rss_mb: rssMb(stack.pid()), backends, slots });
    await delay(EVERY_MS);
  }
  const final = await run.stop();
  const load = await summarize(stack, 'soak-load', { ...opts }, run, final);
  const half = samples.slice(Math.floor(samples.length / 2));
  const summary = {
    suite: 'soak',
    seconds: SECONDS,
    samples: samples.length,
    rss_mb: curve(samples, 'rss_mb'),
    backends: curve(samples, 'backends'),
    slots: curve(samples, 'slots'),
    ops: load.ops,
    ops_per_s: load.ops_per_s,
    http_5xx: load.http_5xx,
    invariants: load.invariants,
    curve: samples,
  };
  printSummary(summary);
  expect(summary.backends.max).toBeLessThanOrEqual(MAX_BACKENDS);
  expect(summary.slots.max).toBeLessThanOrEqual(1);
  // No growth: the second half's peak is no higher than the first half's plus a few connections.
  expect(Math.max(...half.map((s) => s.backends))).toBeLessThanOrEqual(Math.max(...samples.slice(0, samples.length - half.length).map((s) => s.backends)) + 5);
  expect(load.http_5xx).toBe(0);
  expect(load.invariants).toMatchObject({ oversold: 0, drift: 0, reserved_mismatch: 0 });
  expect(stackTraceLines(stack.log().slice(logStart))).toEqual([]);
}, (SECONDS + 300) * 1000);
