import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort, tempDataDir } from '../throwaway.ts';

let dataDir: string | undefined;
afterAll(async () => {
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

async function listening(url: string): Promise<boolean> {
  return fetch(url).then(() => true, () => false);
}

it('npm run dev serves the app and the stack with demo logins, and one SIGINT stops both', async () => {
  dataDir = await tempDataDir('stack-dev');
  const [apiPort, dbPort, appPort] = [await freePort(), await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../dev.ts')], {
    env: { ...process.env, STACK_DATA_DIR: dataDir, STACK_API_PORT: String(apiPort), STACK_DB_PORT: String(dbPort), APP_PORT: String(appPort), DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev did not start:\n${output}`)), 50_000);
    const check = setInterval(() => {
      if (!output.includes('Open the app')) return;
      clearInterval(check);
      clearTimeout(timer);
      resolve();
    }, 100);
  });

  expect(output).toContain(`API URL: http://127.0.0.1:${apiPort}`);
  expect(output).toMatch(/vendor\.a@example\.com\s+owner of vendor A/);
  expect(output).toContain('password: demo-password');
  const app = await fetch(`http://127.0.0.1:${appPort}/`);
  expect(app.status).toBe(200);
  expect(await app.text()).toContain('<div id="root">');
  expect((await fetch(`http://127.0.0.1:${apiPort}/health`)).status).toBe(200);

  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(await listening(`http://127.0.0.1:${appPort}/`)).toBe(false);
  expect(await listening(`http://127.0.0.1:${apiPort}/health`)).toBe(false);
  // Postgres stopped too: its lock file is gone.
  await expect(fs.access(path.join(dataDir, 'pg', 'postmaster.pid'))).rejects.toThrow();
}, 90_000);
