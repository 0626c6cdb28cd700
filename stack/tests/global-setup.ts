import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_STACK_RATE_LIMITS } from '../auth/rate-limit.ts';
import { configFromEnv } from '../config.ts';
import { startStack } from '../start.ts';
import { freePort, tempDataDir } from '../throwaway.ts';

export interface StackInfo {
  apiUrl: string;
  /** The mail catcher (stack/mail): every mail Auth sends. */
  mailUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  /** The stack's log (one line per request, and errors), for tests about what it logs. */
  logFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}

/** Test-only schemas and data (stack/tests/fixtures/*.sql), loaded once per run as the superuser. */
async function loadFixtures(dbUrl: string) {
  const dir = path.join(import.meta.dirname, 'fixtures');
  const files = (await fs.readdir(dir).catch(() => [])).filter((f) => f.endsWith('.sql')).sort();
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    for (const file of files) {
      try {
        await client.query(await fs.readFile(path.join(dir, file), 'utf8'));
      } catch (err) {
        throw new Error(`fixture ${file}: ${(err as Error).message}`);
      }
    }
    await client.query(`notify pgrst, 'reload schema'`);
  } finally {
    await client.end();
  }
}

/** One stack per test run, on free ports and a fresh data directory; tests isolate their own data. */
export default async function setup(project: TestProject) {
  const dataDir = await tempDataDir('stack-test');
  const logFile = path.join(dataDir, 'stack.log');
  const logStream = createWriteStream(logFile);
  const config = configFromEnv(process.env, {
    apiPort: 0,
    dbPort: await freePort(),
    dataDir,
    databaseUrl: undefined,
    schemas: ['public', 'graphql_public', 'conformance'],
    // Every test signs in from 127.0.0.1; auth-rate-limit.test.ts checks the real limits.
    authRateLimits: TEST_STACK_RATE_LIMITS,
  });
  const stack = await startStack(config, { log: (line) => logStream.write(line + '\n') });
  await loadFixtures(stack.dbUrl);
  const { stop, config: _config, ...info } = stack;
  project.provide('stack', { ...info, logFile });
  console.log(`test stack: ${stack.apiUrl}, db ${stack.dbUrl}, log ${logFile}`);
  return async () => {
    await stop();
    logStream.end();
    if (!process.env.KEEP_STACK_DATA) await fs.rm(dataDir, { recursive: true, force: true });
  };
}
