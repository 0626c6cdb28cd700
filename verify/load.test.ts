import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLoad, summarize, type LoadOptions } from './load/run.ts';
import { LONG, printSummary } from './settings.ts';
import { startStackProcess, stackTraceLines, type StackProcess } from './stack-process.ts';

// npm test: 20 shoppers and 2 vendor logins for 10 s; npm run verify: 200 and 10 for 60 s.
const opts: LoadOptions & { seconds: number } = LONG
  ? { shoppers: 200, vendors: 10, rate: 40, seconds: 60 }
  : { shoppers: 20, vendors: 2, rate: 10, seconds: 10 };

let stack: StackProcess;
beforeAll(async () => {
  stack = await startStackProcess('verify-load');
});
afterAll(async () => {
  await stack?.stop();
});

test(`load: ${opts.shoppers} shoppers and ${opts.vendors} vendor logins for ${opts.seconds} s: no oversell, no drift, no 5xx`, async () => {
  const logStart = stack.log().length;
  const run = await startLoad(stack, { ...opts, log: (line) => console.error(`sim: ${line}`) });
  await delay(opts.seconds * 1000);
  const final = await run.stop();
  const summary = await summarize(stack, 'load', opts, run, final);
  printSummary(summary);
  expect(summary.ops).toBeGreaterThan(opts.seconds * opts.rate * 0.3);
  expect(summary.http_5xx).toBe(0);
  expect(summary.sim.oversell).toBe(0);
  expect(summary.sim.unexpected_samples).toEqual([]);
  expect(summary.invariants).toMatchObject({ oversold: 0, drift: 0, reserved_mismatch: 0, overdue_holds: 0 });
  expect(stackTraceLines(stack.log().slice(logStart))).toEqual([]);
  expect(await stack.health()).toBe(200);
}, LONG ? 600_000 : 120_000);
