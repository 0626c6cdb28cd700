import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { freePort, tempDataDir } from '../throwaway.ts';

let dataDir: string | undefined;
afterAll(async () => {
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

async function listening(url: string): Promise<boolean> {
  return fetch(url).then(() => true, () => false);
}

async function until(what: string, check: () => boolean | Promise<boolean>, output: () => string, timeoutMs = 50_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `npm run dev` with these arguments on fixed ports and data directory, until it prints where to open the app. */
async function startDev(args: string[], ports: { api: number; db: number; app: number }) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../dev.ts'), ...args], {
    env: { ...process.env, STACK_DATA_DIR: dataDir, STACK_API_PORT: String(ports.api), STACK_DB_PORT: String(ports.db), APP_PORT: String(ports.app), DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await until('npm run dev starting', () => output.includes('Open the app'), () => output);
  return { child, exited, output: () => output };
}

async function query<T extends pg.QueryResultRow>(dbPort: number, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres` });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function expectStopped(ports: { api: number; app: number }): Promise<void> {
  expect(await listening(`http://127.0.0.1:${ports.app}/`)).toBe(false);
  expect(await listening(`http://127.0.0.1:${ports.api}/health`)).toBe(false);
  // Postgres stopped too: its lock file is gone.
  await expect(fs.access(path.join(dataDir!, 'pg', 'postmaster.pid'))).rejects.toThrow();
}

it('npm run dev serves the app and the stack with demo logins and the traffic simulator (off with --no-sim), and one SIGINT stops everything', async () => {
  dataDir = await tempDataDir('stack-dev');
  const ports = { api: await freePort(), db: await freePort(), app: await freePort() };

  // --no-sim: no simulator, no simulator accounts.
  const quiet = await startDev(['--no-sim'], ports);
  expect(quiet.output()).toContain(`API URL: http://127.0.0.1:${ports.api}`);
  expect(quiet.output()).toMatch(/vendor\.a@example\.com\s+owner of Northwind Outfitters/);
  expect(quiet.output()).toContain('password: demo-password');
  await until('the note that the simulator is off', () => quiet.output().includes('Traffic simulator off (--no-sim).'), quiet.output);
  const app = await fetch(`http://127.0.0.1:${ports.app}/`);
  expect(app.status).toBe(200);
  expect(await app.text()).toContain('<div id="root">');
  expect((await fetch(`http://127.0.0.1:${ports.api}/health`)).status).toBe(200);
  const simShoppers = () => query<{ n: number }>(ports.db, `select count(*)::int as n from auth.users where email like 'sim.shopper.%@example.com'`);
  expect(await simShoppers()).toEqual([{ n: 0 }]);
  quiet.child.kill('SIGINT');
  expect(await quiet.exited).toBe(0);
  expect(quiet.output()).not.toContain('Traffic simulator:');
  await expectStopped(ports);

  // By default the simulator starts once the stack is up, and its traffic reaches the ledger.
  const busy = await startDev([], ports);
  await until('the simulator starting', () => busy.output().includes('Traffic simulator:'), busy.output);
  expect(busy.output()).toMatch(/Traffic simulator: \d+ shoppers \(sim\.shopper\.<n>@example\.com\) and vendor\.a@example\.com, vendor\.b@example\.com/);
  const simMovements = () => query<{ n: number }>(ports.db, `select count(*)::int as n from public.stock_movements where request_id like 'sim-%'`);
  await until('a stock change by the simulator', async () => (await simMovements())[0]!.n > 0, busy.output);
  expect((await simShoppers())[0]!.n).toBeGreaterThanOrEqual(8);
  // Its requests stay out of the request log.
  expect(busy.output()).not.toMatch(/^\S+ sim-/m);

  busy.child.kill('SIGINT');
  expect(await busy.exited).toBe(0);
  expect(busy.output()).toMatch(/sim: final · .* unexpected 0/);
  await expectStopped(ports);
}, 120_000);
