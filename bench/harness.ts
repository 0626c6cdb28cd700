import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { Pool, PoolClient } from 'pg';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';
import { configFromEnv } from '../stack/config.ts';
import { startStack, type Stack } from '../stack/start.ts';
import { freePort, tempDataDir } from '../stack/throwaway.ts';

export interface LatencySummary {
  count: number;
  errors: number;
  seconds: number;
  per_second: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Runs `op` from `concurrency` workers until `count` operations are done or `maxSeconds` pass,
 * whichever comes first, and summarises the latencies.
 */
export async function measure(opts: { concurrency: number; count: number; maxSeconds: number }, op: (i: number) => Promise<void>): Promise<LatencySummary> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + opts.maxSeconds * 1000;
  const worker = async () => {
    while (next < opts.count && performance.now() < deadline) {
      const i = next++;
      const t = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    errors,
    seconds: round(seconds),
    per_second: round(latencies.length / seconds),
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
  };
}

export function emit(result: Record<string, unknown>): void {
  console.log(JSON.stringify(result));
}

/** Progress goes to stderr, so stdout stays one JSON line per result. */
export function progress(message: string): void {
  console.error(`[bench] ${message}`);
}

/** A fresh stack on free ports in a temp directory, with the project's migrations; removed on stop. */
export async function benchStack(): Promise<Stack> {
  const dataDir = await tempDataDir('stack-bench');
  const config = configFromEnv(process.env, { apiPort: 0, dbPort: await freePort(), dataDir, databaseUrl: undefined });
  const stack = await startStack(config, { log: () => {} });
  return {
    ...stack,
    stop: async () => {
      await stack.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type StackHandle = Pick<Stack, 'apiUrl' | 'dbUrl' | 'anonKey' | 'serviceRoleKey' | 'jwtSecret' | 'stop'>;

/**
 * A fresh stack in its own process (`npm run stack`), so the server's event loop does not share
 * a thread with the benchmark's clients; on free ports in a temp directory, removed on stop.
 */
export async function benchStackProcess(): Promise<StackHandle> {
  const dataDir = await tempDataDir('stack-bench');
  const apiPort = await freePort();
  const dbPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../stack/main.ts')], {
    env: { ...process.env, STACK_DATA_DIR: dataDir, STACK_API_PORT: String(apiPort), STACK_DB_PORT: String(dbPort), DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      if (output.length < 100_000) output += chunk.toString();
      if (output.includes('stack ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the stack exited (${code}):\n${output}`)));
  });
  child.stdout.resume();
  child.stderr.resume();
  // If the benchmark dies (an error, a closed pipe), the stack must not outlive it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const config = configFromEnv({});
  return {
    apiUrl: `http://127.0.0.1:${apiPort}`,
    dbUrl: `postgresql://postgres:postgres@127.0.0.1:${dbPort}/postgres`,
    anonKey: config.anonKey,
    serviceRoleKey: config.serviceRoleKey,
    jwtSecret: config.jwtSecret,
    stop: async () => {
      process.removeListener('exit', killOnExit);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function benchClient(stack: Pick<Stack, 'apiUrl'>, key: string, accessToken?: string): SupabaseClient {
  return createClient(stack.apiUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    ...(accessToken ? { accessToken: async () => accessToken } : {}),
  });
}

/**
 * A worker thread running `moduleUrl` (a benchmark's own file, which branches on `isMainThread`)
 * with `data` as its workerData; `ask` posts a message and resolves with the worker's next reply.
 * The worker runs TypeScript: tsx's loader is registered in that thread first.
 */
export class BenchWorker<ToWorker, FromWorker> {
  private readonly worker: Worker;
  private waiting: Array<{ resolve: (msg: FromWorker) => void; reject: (err: Error) => void }> = [];
  constructor(moduleUrl: string, data: unknown) {
    const entry = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(moduleUrl)});`;
    this.worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(entry)}`), { workerData: data });
    this.worker.on('message', (msg: FromWorker) => this.waiting.shift()?.resolve(msg));
    const fail = (err: Error) => {
      for (const w of this.waiting.splice(0)) w.reject(err);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`benchmark worker exited (code ${code})`)));
  }
  ask<T extends FromWorker>(msg: ToWorker): Promise<T> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (m: FromWorker) => void, reject });
      this.worker.postMessage(msg);
    });
  }
  terminate() {
    return this.worker.terminate();
  }
}

/** Runs `work` in a transaction on one connection of the pool: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
