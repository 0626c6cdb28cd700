// The stack as a child process (`tsx stack/main.ts`), as `npm run stack` runs it, on a throwaway
// data directory and free ports: so that a suite can kill -9 it (or its Postgres) and start it
// again on the same data.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { DEFAULT_ANON_KEY, DEFAULT_JWT_SECRET, DEFAULT_SERVICE_ROLE_KEY } from '../stack/config.ts';
import { freePort, tempDataDir } from '../stack/throwaway.ts';

const root = path.resolve(import.meta.dirname, '..');
const READY_TIMEOUT_MS = 90_000;

/**
 * Auth's per-IP limits raised: the load's hundreds of simulated users all come from 127.0.0.1,
 * where on hosted Supabase each would have an address of its own.
 */
const VERIFY_AUTH_RATE_LIMITS = 'token_refresh=1000000,sign_in_sign_ups=1000000';

export interface StackProcess {
  apiUrl: string;
  dbUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  jwtSecret: string;
  dataDir: string;
  logFile: string;
  /** The stack's process id (of the current run). */
  pid(): number;
  /** The postmaster's pid, from its pid file. */
  postmasterPid(): number | undefined;
  /** Everything the stack printed, all runs together. */
  log(): string;
  /** kill -9 of the stack process; its Postgres (own process group) stays behind, as after a crash. */
  kill9(): Promise<void>;
  /** Starts the stack again on the same data directory and ports; resolves when it is ready. */
  restart(): Promise<void>;
  /** GET /health: 200 when the stack and its Postgres answer, 503 when Postgres does not, 0 when nothing answered. */
  health(timeoutMs?: number): Promise<number>;
  /** Stops the stack (SIGTERM, then SIGKILL) and removes the data directory. */
  stop(): Promise<void>;
}

export async function startStackProcess(prefix = 'verify'): Promise<StackProcess> {
  const dataDir = await tempDataDir(prefix);
  const apiPort = await freePort();
  const dbPort = await freePort();
  const logFile = path.join(dataDir, 'stack.log');
  const logStream: WriteStream = createWriteStream(logFile);
  let text = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async () => {
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'stack/main.ts')], {
      cwd: root,
      env: { ...process.env, STACK_AUTH_RATE_LIMITS: VERIFY_AUTH_RATE_LIMITS, STACK_DATA_DIR: dataDir, STACK_API_PORT: String(apiPort), STACK_DB_PORT: String(dbPort), DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    // An exit nobody asked for shows in the log the suites read.
    proc.once('exit', (code, signal) => {
      text += `\n[verify] the stack process ${proc.pid} exited (${signal ?? `code ${code}`})\n`;
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        const s = chunk.toString();
        logStream.write(s);
        text += s;
        if (text.length > 20_000_000) text = text.slice(-10_000_000);
        if (s.includes('stack ready')) resolve();
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`the stack exited during start (code ${code}); log ${logFile}:\n${text.slice(-3000)}`)));
    });
    const timeout = delay(READY_TIMEOUT_MS, 'timeout', { ref: false });
    if ((await Promise.race([ready, timeout])) === 'timeout') {
      proc.kill('SIGKILL');
      throw new Error(`the stack was not ready within ${READY_TIMEOUT_MS / 1000} s; log ${logFile}`);
    }
  };

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const handle: StackProcess = {
    apiUrl,
    dbUrl: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
    anonKey: DEFAULT_ANON_KEY,
    serviceRoleKey: DEFAULT_SERVICE_ROLE_KEY,
    jwtSecret: DEFAULT_JWT_SECRET,
    dataDir,
    logFile,
    pid: () => child?.pid ?? 0,
    postmasterPid: () => {
      try {
        return Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
      } catch {
        return undefined;
      }
    },
    log: () => text,
    async kill9() {
      child?.kill('SIGKILL');
      await exited;
    },
    async restart() {
      await launch();
    },
    async health(timeoutMs = 3000) {
      try {
        const res = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(timeoutMs) });
        const body = (await res.json().catch(() => ({}))) as { status?: string };
        // The gateway answers 200 with status "unavailable" while Postgres is down.
        return res.status === 200 && body.status !== 'ok' ? 503 : res.status;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child?.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      // A postmaster orphaned by a kill -9 of the stack: shut it down.
      const pm = handle.postmasterPid();
      if (pm && isAlive(pm)) {
        process.kill(pm, 'SIGQUIT');
        for (let i = 0; i < 50 && isAlive(pm); i++) await delay(100);
      }
      logStream.end();
      if (!process.env.KEEP_STACK_DATA) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await launch();
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Processes whose command line names this data directory (postmasters and their backends). */
export async function postgresProcessesFor(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(path.join(dataDir, 'pg')) && cmdline.split('\0')[0]?.endsWith('postgres')) pids.push(Number(entry));
  }
  return pids;
}

/** Runs `work` with a superuser connection. */
export async function withDb<T>(dbUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: dbUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Polls `check` every 100 ms until it is true or `timeoutMs` passes; returns the ms it took, or undefined. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await Promise.resolve(check()).catch(() => false)) return Math.round(performance.now() - started);
    await delay(100);
  }
  return undefined;
}

/** Lines of the log that are part of a JavaScript stack trace. */
export function stackTraceLines(log: string): string[] {
  return log.split('\n').filter((line) => /^\s+at\s+(?:.+\(.*:\d+:\d+\)|\S+:\d+:\d+)\s*$/.test(line) || /^\s+at (?:async |new )?\S+ \(node:/.test(line));
}

export { root as repoRoot };
