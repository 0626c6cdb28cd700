import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { TEST_STACK_RATE_LIMITS } from '../stack/auth/rate-limit.ts';
import { configFromEnv } from '../stack/config.ts';
import { startStack } from '../stack/start.ts';
import { freePort, tempDataDir } from '../stack/throwaway.ts';
import { useSystemChromium } from './browser.ts';

const root = path.resolve(import.meta.dirname, '..');

/** Without Debian's Chromium, the first run downloads Playwright's own, so `npm test` works on a laptop. */
function ensureBrowser(): void {
  if (useSystemChromium || existsSync(chromium.executablePath())) return;
  console.log('Playwright Chromium is missing: installing it once (npx playwright install chromium)');
  execFileSync('npx', ['playwright', 'install', 'chromium'], { cwd: root, stdio: 'inherit' });
}

/**
 * One fresh stack (free ports, temp data dir) and the built SPA served by `vite preview`, both on
 * 127.0.0.1. Tests read E2E_BASE_URL, E2E_API_URL, E2E_ANON_KEY and E2E_DB_URL (`postgres`, no superuser, as on hosted Supabase); each
 * creates its own users and data.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureBrowser();
  const dataDir = await tempDataDir('e2e-stack');
  const logFile = path.join(dataDir, 'stack.log');
  const logStream = createWriteStream(logFile);
  // Every spec signs in from 127.0.0.1: Auth's per-IP limits are raised (stack/tests/auth-rate-limit.test.ts checks them).
  const config = configFromEnv(process.env, { apiPort: 0, dbPort: await freePort(), dataDir, databaseUrl: undefined, authRateLimits: TEST_STACK_RATE_LIMITS });
  const stack = await startStack(config, { log: (line) => logStream.write(line + '\n') });
  const cleanup = async () => {
    await stack.stop();
    await new Promise((resolve) => logStream.end(resolve));
    reportRealtimeTrouble(await fs.readFile(logFile, 'utf8'));
    if (!process.env.KEEP_STACK_DATA) await fs.rm(dataDir, { recursive: true, force: true });
  };

  try {
    // Vite inlines VITE_* variables from the environment into the build.
    process.env.VITE_SUPABASE_URL = stack.apiUrl;
    process.env.VITE_SUPABASE_ANON_KEY = stack.anonKey;
    const outDir = path.join(dataDir, 'dist');
    const configFile = path.join(root, 'vite.config.ts');
    await build({ root, configFile, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const server = await preview({ root, configFile, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
    const baseUrl = server.resolvedUrls?.local[0];
    if (!baseUrl) throw new Error('vite preview did not report its URL');

    process.env.E2E_BASE_URL = baseUrl;
    process.env.E2E_API_URL = stack.apiUrl;
    process.env.E2E_ANON_KEY = stack.anonKey;
    process.env.E2E_DB_URL = stack.dbUrl;
    process.env.E2E_MAIL_URL = stack.mailUrl;
    console.log(`e2e: SPA ${baseUrl}, stack ${stack.apiUrl}, log ${logFile}`);
    return async () => {
      await server.close();
      await cleanup();
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** CI keeps only the printed report: the Realtime feed's complaints, if any, go in it. */
function reportRealtimeTrouble(log: string): void {
  const lines = log.split('\n').filter((l) => /^realtime: (could not|delivery failed|Unable|closing)/.test(l));
  if (lines.length === 0) return;
  console.log(`e2e: the stack's Realtime logged ${lines.length} problem(s); the last ones:\n${lines.slice(-20).join('\n')}`);
}
