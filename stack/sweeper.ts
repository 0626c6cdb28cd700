import type pg from 'pg';

/**
 * Runs the database's maintenance functions on a timer, as pg_cron does on hosted Supabase: as
 * `postgres` (the role that scheduled them), with no JWT claims (see supabase/migrations/*_schedule_maintenance.sql and
 * *_schedule_monitoring.sql). A function that does not exist (no migration defines it) is skipped.
 */
const jobs = [
  { fn: 'expire_reservations', everyMs: 2_000 },
  { fn: 'send_realtime_canary', everyMs: 4_000 },
  { fn: 'sample_database_health', everyMs: 10_000 },
  { fn: 'maintain_telemetry', everyMs: 60_000 },
  { fn: 'purge_idempotency_keys', everyMs: 10 * 60_000 },
  { fn: 'purge_rate_limits', everyMs: 10 * 60_000 },
] as const;

export interface Sweeper {
  stop(): Promise<void>;
}

async function runJob(pool: pg.Pool, fn: string): Promise<number | undefined> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ exists: boolean }>('select to_regprocedure($1) is not null as exists', [`public.${fn}()`]);
    let count: number | undefined;
    if (rows[0]?.exists) {
      const result = await client.query<{ count: number }>(`select public.${fn}() as count`);
      count = result.rows[0]?.count;
    }
    await client.query('commit');
    return count;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export function startSweeper(pool: pg.Pool, log: (line: string) => void): Sweeper {
  const lastRun = new Map<string, number>();
  let lastError = '';
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = async () => {
    for (const job of jobs) {
      if (stopped) return;
      if (Date.now() - (lastRun.get(job.fn) ?? 0) < job.everyMs) continue;
      lastRun.set(job.fn, Date.now());
      try {
        const count = await runJob(pool, job.fn);
        if (count) log(`sweeper: ${job.fn}() -> ${count}`);
        lastError = '';
      } catch (err) {
        const message = `sweeper: ${job.fn}() failed: ${(err as Error).message}`;
        if (message !== lastError) log(message);
        lastError = message;
      }
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, Math.min(...jobs.map((j) => j.everyMs)));
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
