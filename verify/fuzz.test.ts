import { afterAll, beforeAll, expect, test } from 'vitest';
import { runFuzz } from './fuzz/run.ts';
import { LONG, SEED, printSummary } from './settings.ts';
import { startStackProcess, type StackProcess } from './stack-process.ts';

let stack: StackProcess;
beforeAll(async () => {
  stack = await startStackProcess('verify-fuzz');
});
afterAll(async () => {
  await stack?.stop();
});

test(`fuzz: hostile REST, RPC, Auth and Realtime input is refused, never a 5xx, a crash, a trace or a write (seed ${SEED})`, async () => {
  const runs = Number(process.env.VERIFY_FUZZ_RUNS) || (LONG ? 2000 : 120);
  console.error(`fuzz seed ${SEED} (VERIFY_SEED=${SEED} repeats it), ${runs} runs per family, stack log ${stack.logFile}`);
  const { summary, findings } = await runFuzz(stack, { seed: SEED, runs, log: (line) => console.error(line) });
  printSummary(summary);
  for (const f of findings.slice(0, 40)) console.error(`FINDING [${f.family}] ${f.what}\n  ${f.repro}`);
  expect(findings.map((f) => `[${f.family}] ${f.what}`)).toEqual([]);
}, LONG ? 900_000 : 120_000);
