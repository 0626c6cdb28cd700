import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { db } from '../../stack/tests/support.ts';
import { bucketOf, bucketRange, emptyHistogram, LOWER_BOUNDS, quantile, record } from '../../src/lib/telemetry/histogram.ts';
import { createUser } from './helpers/fixtures.ts';
import { rolePool } from './helpers/sql.ts';
import { apiRows, call, ingest, uniqueOp } from './helpers/telemetry.ts';

// The arithmetic of the monitoring data with known inputs: histogram merges and percentiles,
// compaction and retention, rates from sampled counters, the health score. Tests that write
// into the past use their own window (hours back, inside the 48 h retention), where no other
// test writes, and read it through the same functions the admin API uses.

/** A deterministic pseudo-random stream (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latencies shaped like API calls: log-normal around 40 ms with a tail, a few sub-millisecond and a few over 65 s. */
function latencies(count: number, seed: number): number[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    if (i % 997 === 0) return 70_000 + next() * 40_000;
    if (i % 499 === 0) return next();
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return Math.exp(Math.log(40) + 1.2 * normal);
  });
}

/** The start of a minute this many hours back, on the database's clock. */
async function windowStart(hoursBack: number): Promise<Date> {
  const { rows } = await db().query<{ at: Date }>(`select date_trunc('minute', now() - make_interval(hours => $1)) as at`, [hoursBack]);
  return rows[0]!.at;
}

async function insertApiMinute(minute: Date, operation: string, values: number[], status = 200, client: Pick<pg.PoolClient, 'query'> = db()): Promise<void> {
  await client.query(
    `insert into private.telemetry_api_minutes (minute, operation, method, status, code, outcome, vendor_id, anon, requests, replays, duration_ms_sum, histogram)
     select $1, $2, 'POST', $4::smallint, null, private.call_outcome($4::integer, null), null, false, count(*), 0, sum(v),
            private.histogram_of(array_agg(width_bucket(v, private.latency_bounds()) + 1), array_agg(1))
     from unnest($3::float8[]) v`,
    [minute, operation, values, status],
  );
}

describe('latency histograms', () => {
  it('have the same bucket bounds and assignments in SQL and in the SPA', async () => {
    const { rows: [bounds] } = await db().query<{ b: number[] }>('select private.latency_bounds() as b');
    expect(bounds!.b).toEqual([...LOWER_BOUNDS]);
    const values = [0, 0.999, 1, 255.999, 256, 1023.99, 1024, 65_535.9, 65_536, 1e6, ...LOWER_BOUNDS, ...latencies(500, 7)];
    const { rows: [sql] } = await db().query<{ b: number[] }>(
      'select array_agg(width_bucket(v, private.latency_bounds()) + 1 order by i) as b from unnest($1::float8[]) with ordinality u (v, i)',
      [values],
    );
    expect(sql!.b).toEqual(values.map(bucketOf));
  });

  it('merge across rows and minutes exactly, and give percentiles within one bucket width of the true value', async () => {
    const start = await windowStart(40);
    const ops = [uniqueOp(), uniqueOp()];
    const all: number[] = [];
    for (let minute = 0; minute < 6; minute++) {
      for (const [o, op] of ops.entries()) {
        const values = latencies(600 + minute * 37, minute * 10 + o + 1);
        all.push(...values);
        await insertApiMinute(new Date(start.getTime() + minute * 60_000), op!, values);
      }
    }
    const { rows: [merged] } = await db().query<{ requests: string; histogram: string[]; apdex: number; q: number[] }>(
      `select requests, histogram, private.histogram_apdex(histogram) as apdex,
              array[private.histogram_quantile(histogram, 0.5), private.histogram_quantile(histogram, 0.9), private.histogram_quantile(histogram, 0.95),
                    private.histogram_quantile(histogram, 0.99), private.histogram_quantile(histogram, 0.999)] as q
       from private.api_steps($1::timestamptz, $1::timestamptz + interval '6 minutes', interval '6 minutes')`,
      [start],
    );
    const expected = emptyHistogram();
    for (const v of all) record(expected, v);
    expect(Number(merged!.requests)).toBe(all.length);
    expect(merged!.histogram.map(Number)).toEqual(expected);

    const sorted = [...all].sort((a, b) => a - b);
    [0.5, 0.9, 0.95, 0.99, 0.999].forEach((q, i) => {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const [lower, upper] = bucketRange(bucketOf(exact));
      const estimate = merged!.q[i]!;
      expect(estimate).toBeGreaterThanOrEqual(lower);
      expect(estimate).toBeLessThanOrEqual(upper);
      expect(Math.abs(estimate - exact)).toBeLessThan(upper - lower);
      // The SPA reads the same number from the same histogram.
      expect(quantile(expected, q)).toBeCloseTo(estimate, 9);
    });

    // T = 256 ms and 4T are bucket bounds: Apdex from the histogram is exact.
    const satisfied = all.filter((v) => v < 256).length;
    const tolerating = all.filter((v) => v >= 256 && v < 1024).length;
    expect(merged!.apdex).toBeCloseTo((satisfied + tolerating / 2) / all.length, 12);
  });

  it('answer no percentile for an empty histogram, and the lower bound for the open last bucket', async () => {
    const { rows: [r] } = await db().query(
      `select private.histogram_quantile(array_fill(0, array[66])::bigint[], 0.5) as empty,
              private.histogram_quantile(array_fill(0, array[65]) || array[3]::bigint[], 0.99) as open,
              private.histogram_quantile(array[4]::bigint[] || array_fill(0, array[65])::bigint[], 0.5) as first`,
    );
    expect(r).toEqual({ empty: null, open: 65_536, first: 0.5 });
  });
});

describe('compaction and retention (maintain_telemetry)', () => {
  it('merges the rows of one key into one, changing no count, sum or percentile', async () => {
    const user = await createUser();
    const op = uniqueOp();
    const byBatch = [[5, 7, 300], [12, 2000], [9, 9, 9, 40]];
    for (const values of byBatch) {
      await ingest(user.caller, { v: 1, api: values.map((ms) => call(op, { ms, age_ms: 150_000 })) });
    }
    // What every reader sees: the merged counts, sum and p95 of the operation's rows.
    const aggregate = async () =>
      (await db().query(
        `select sum(requests)::int as requests, sum(duration_ms_sum) as total,
                private.histogram_quantile((select array_agg(n order by i) from (
                  select i, sum(m.histogram[i]) as n from private.telemetry_api_minutes m, generate_series(1, 66) i where m.operation = $1 group by i
                ) t), 0.95) as p95
         from private.telemetry_api_minutes where operation = $1`,
        [op],
      )).rows[0];
    const before = await aggregate();
    await db().query('select public.maintain_telemetry()');
    const rows = await apiRows(op);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ requests: 9, status: 200, outcome: 'ok' });
    const expected = emptyHistogram();
    for (const v of byBatch.flat()) record(expected, v);
    expect(rows[0]!.histogram).toEqual(expected);
    expect(await aggregate()).toEqual(before);
  });

  it('deletes per-minute rows and samples older than 48 hours, keeps younger ones', async () => {
    const [old, young] = [uniqueOp(), uniqueOp()];
    const key = `k${randomUUID().slice(0, 8)}`;
    await db().query(
      `insert into private.telemetry_api_minutes (minute, operation, method, status, outcome, anon, requests, duration_ms_sum, histogram)
       values (date_trunc('minute', now() - interval '49 hours'), $1, 'GET', 200, 'ok', true, 1, 1, array_fill(0, array[66])),
              (date_trunc('minute', now() - interval '47 hours'), $2, 'GET', 200, 'ok', true, 1, 1, array_fill(0, array[66]))`,
      [old, young],
    );
    await db().query(
      `insert into private.telemetry_cache_minutes (minute, query_key, anon, hits, stale_hits, misses, fetches)
       values (now() - interval '49 hours', $1, true, 1, 0, 0, 0), (now() - interval '47 hours', $1, false, 1, 0, 0, 0)`,
      [key],
    );
    await db().query(
      `insert into private.telemetry_errors (occurred_at, operation, method, status, outcome, anon, duration_ms)
       values (now() - interval '49 hours', $1, 'GET', 500, 'error', true, 1), (now() - interval '47 hours', $2, 'GET', 500, 'error', true, 1)`,
      [old, young],
    );
    const [oldSample, youngSample] = [new Date(Date.now() - 49 * 3600_000 - Math.random() * 1000), new Date(Date.now() - 47 * 3600_000 - Math.random() * 1000)];
    for (const at of [oldSample, youngSample]) {
      await db().query(
        `insert into private.database_health_samples
         select $1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 100, 0, 1, 0, null`,
        [at],
      );
      await db().query(`insert into private.domain_samples values ($1, 0, 0, 0, 0, 0)`, [at]);
    }

    await db().query('select public.maintain_telemetry()');

    expect((await apiRows(old)).length).toBe(0);
    expect((await apiRows(young)).length).toBe(1);
    const count = async (sql: string, params: unknown[]) => (await db().query<{ n: number }>(sql, params)).rows[0]!.n;
    expect(await count(`select count(*)::int as n from private.telemetry_cache_minutes where query_key = $1`, [key])).toBe(1);
    expect(await count(`select count(*)::int as n from private.telemetry_errors where operation = any ($1)`, [[old, young]])).toBe(1);
    expect(await count(`select count(*)::int as n from private.database_health_samples where sampled_at = any ($1)`, [[oldSample, youngSample]])).toBe(1);
    expect(await count(`select count(*)::int as n from private.domain_samples where sampled_at = any ($1)`, [[oldSample, youngSample]])).toBe(1);
  });

  it('keeps at most max_errors failed calls, the newest', async () => {
    const op = uniqueOp();
    const client = await rolePool().connect();
    try {
      await client.query('begin');
      await client.query('update private.telemetry_settings set max_errors = 2');
      await client.query(
        `insert into private.telemetry_errors (occurred_at, operation, method, status, code, outcome, anon, duration_ms)
         select now(), $1, 'GET', 500, 'n' || n, 'error', true, 1 from generate_series(1, 3) n order by n`,
        [op],
      );
      await client.query('select public.maintain_telemetry()');
      const { rows } = await client.query(`select code from private.telemetry_errors order by id`);
      expect(rows).toEqual([{ code: 'n2' }, { code: 'n3' }]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});

describe('hourly rollups', () => {
  it('roll each hour up once no call can still be reported for it, and long ranges read them instead of minutes', async () => {
    const op = uniqueOp();
    const client = await rolePool().connect();
    try {
      await client.query('begin');
      const h = (await client.query<{ h: Date }>(`select date_trunc('hour', now() - interval '10 hours') as h`)).rows[0]!.h;
      const at = (minutes: number) => new Date(h.getTime() + minutes * 60_000);
      const minuteValues: Array<[number, number[], number]> = [
        [5, [3, 4, 5], 200], [5, [6], 200], [40, [300, 310], 200], [59, [90], 500],
        [65, [7, 7], 200], [130, [1000], 200], [150, [20], 200],
      ];
      for (const [minute, values, status] of minuteValues) await insertApiMinute(at(minute), op, values, status, client);
      await client.query(`update private.telemetry_state set hours_rolled_until = $1`, [h]);
      await client.query('select public.maintain_telemetry()');

      const { rows: [state] } = await client.query(`select hours_rolled_until <= now() - interval '65 minutes' as complete, hours_rolled_until > $1::timestamptz + interval '2 hours' as moved from private.telemetry_state`, [h]);
      expect(state).toEqual({ complete: true, moved: true });
      const { rows: hours } = await client.query(
        `select extract(epoch from hour - $2::timestamptz)::int / 60 as minute, status, requests, histogram from private.telemetry_api_hours where operation = $1 order by hour, status`,
        [op, h],
      );
      const histogramOf = (values: number[]) => {
        const histogram = emptyHistogram();
        for (const v of values) record(histogram, v);
        return histogram;
      };
      expect(hours).toEqual([
        { minute: 0, status: 200, requests: 6, histogram: histogramOf([3, 4, 5, 6, 300, 310]) },
        { minute: 0, status: 500, requests: 1, histogram: histogramOf([90]) },
        { minute: 60, status: 200, requests: 2, histogram: histogramOf([7, 7]) },
        { minute: 120, status: 200, requests: 2, histogram: histogramOf([1000, 20]) },
      ]);

      // A window that is not on hour boundaries reads minutes at its edges and the whole hour between.
      const { rows: read } = await client.query(
        `select extract(epoch from at - $2::timestamptz)::int / 60 as minute, requests from private.api_rows($2::timestamptz + interval '30 minutes', $2::timestamptz + interval '140 minutes', true)
         where operation = $1 order by at, status`,
        [op, h],
      );
      expect(read).toEqual([{ minute: 40, requests: 2 }, { minute: 59, requests: 1 }, { minute: 60, requests: 2 }, { minute: 130, requests: 1 }]);
      // Hour steps from hours, minute steps from minutes: the same calls either way.
      const merged = async (step: string) =>
        (await client.query(`select sum(requests)::int as requests from private.api_steps($1::timestamptz, $1::timestamptz + interval '3 hours', $2::interval)`, [h, step])).rows[0];
      expect(await merged('1 hour')).toEqual({ requests: 11 });
      expect(await merged('1 minute')).toEqual({ requests: 11 });
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('are kept 30 days', async () => {
    const [old, young] = [uniqueOp(), uniqueOp()];
    await db().query(
      `insert into private.telemetry_api_hours (hour, operation, method, status, outcome, anon, requests, replays, duration_ms_sum, histogram)
       values (date_trunc('hour', now() - interval '31 days'), $1, 'GET', 200, 'ok', true, 1, 0, 1, array_fill(0, array[66])),
              (date_trunc('hour', now() - interval '29 days'), $2, 'GET', 200, 'ok', true, 1, 0, 1, array_fill(0, array[66]))`,
      [old, young],
    );
    await db().query('select public.maintain_telemetry()');
    const { rows } = await db().query(`select operation from private.telemetry_api_hours where operation = any ($1)`, [[old, young]]);
    expect(rows).toEqual([{ operation: young }]);
  });
});

describe('rates from sampled counters (database_steps)', () => {
  it('turns counter differences into per-step ratios, counting from zero after a reset', async () => {
    const start = await windowStart(30);
    // One sample before the window, then every 10 s for two minutes; statistics reset after the first minute.
    const samples = [{ at: -10, hit: 1000, read: 100, commit: 500, rollback: 50, deadlocks: 0, connections: 10 }];
    for (let i = 0; i < 12; i++) {
      const reset = i >= 6;
      samples.push({
        at: 5 + i * 10,
        hit: reset ? 40 + (i - 6) * 100 : 1100 + i * 100,
        read: reset ? 1 + (i - 6) : 101 + i,
        commit: reset ? 10 * (i - 5) : 510 + i * 10,
        rollback: reset ? i - 5 : 51 + i,
        deadlocks: reset ? (i >= 9 ? 2 : 0) : i >= 3 ? 1 : 0,
        connections: 10 + i,
      });
    }
    for (const s of samples) {
      await db().query(
        `insert into private.database_health_samples
         values ($1, $2, $3, $4, $5, $6, $2, $3, 0, 0, $7, 1, $7 - 1, 0, 0, 300, 0, 1000 + $7, 1, 0)`,
        [new Date(start.getTime() + s.at * 1000), s.hit, s.read, s.commit, s.rollback, s.deadlocks, s.connections],
      );
    }
    const { rows: steps } = await db().query(
      `select blks_hit::int, blks_read::int, heap_blks_hit::int, commits::int, rollbacks::int, deadlocks::int, connections, max_connections, database_bytes::int, samples
       from private.database_steps($1::timestamptz, $1::timestamptz + interval '2 minutes', interval '1 minute')`,
      [start],
    );
    expect(steps).toEqual([
      { blks_hit: 600, blks_read: 6, heap_blks_hit: 600, commits: 60, rollbacks: 6, deadlocks: 1, connections: 15, max_connections: 300, database_bytes: 1015, samples: 6 },
      // The reset sample counts its own value: 40 + 5 * 100 hits, 1 + 5 reads.
      { blks_hit: 540, blks_read: 6, heap_blks_hit: 540, commits: 60, rollbacks: 6, deadlocks: 2, connections: 21, max_connections: 300, database_bytes: 1021, samples: 6 },
    ]);
  });
});

describe('the health score', () => {
  const score = async (apdex: number | null, errorRate: number | null, cacheHit: number | null, lagP95: number | null, saturation: number | null) =>
    (await db().query(`select * from private.health_score($1, $2, $3, $4, $5)`, [apdex, errorRate, cacheHit, lagP95, saturation])).rows[0];

  it('is 100 and healthy when every component is at its target', async () => {
    expect(await score(0.97, 0.0005, 0.995, 80, 0.1)).toEqual({ score: 100, band: 'healthy', capped: false, latency: 1, errors: 1, cache: 1, lag: 1, saturation: 1 });
  });

  it('maps each measurement linearly between its anchors and weighs the components 30/25/20/15/10', async () => {
    const r = await score(0.85, 0.03, 0.97, 5500, 0.7);
    expect(r.latency).toBeCloseTo(0.8, 12);
    expect(r.errors).toBeCloseTo(0.65, 12);
    expect(r.cache).toBeCloseTo(0.7, 12);
    expect(r.lag).toBeCloseTo(0.65, 12);
    expect(r.saturation).toBeCloseTo(0.9, 12);
    expect(r.score).toBeCloseTo(30 * 0.8 + 25 * 0.65 + 20 * 0.7 + 15 * 0.65 + 10 * 0.9, 9);
    expect([r.band, r.capped]).toEqual(['degraded', false]);
  });

  it('caps the score at 49 (failing) when one component fails', async () => {
    const r = await score(1, 0.10, 1, 50, 0.1);
    expect(r.errors).toBeCloseTo(1 / 3, 12);
    expect(r.score).toBe(49);
    expect([r.band, r.capped]).toEqual(['failing', true]);
    const worse = await score(0.3, 0.5, 0.5, 60_000, 1);
    expect(worse).toMatchObject({ score: 0, band: 'failing', capped: false });
  });

  it('leaves components without data out of the weighting, and has no score without any', async () => {
    const r = await score(1, 0, 0.97, null, null);
    expect(r.score).toBeCloseTo((100 * (30 + 25 + 20 * 0.7)) / 75, 9);
    expect(r).toMatchObject({ lag: null, saturation: null, band: 'healthy' });
    expect(await score(null, null, null, null, null)).toEqual({ score: null, band: null, capped: false, latency: null, errors: null, cache: null, lag: null, saturation: null });
  });

  it('is computed per step from the stored telemetry and samples (health_steps)', async () => {
    const start = await windowStart(20);
    const op = uniqueOp();
    await insertApiMinute(start, op, [...Array(90).fill(50), ...Array(8).fill(500)]);
    await insertApiMinute(start, op, [2000, 2000], 500);
    const lags = Array.from({ length: 20 }, (_, i) => 100 + i * 10);
    await db().query(
      `insert into private.telemetry_realtime_minutes (minute, channel, anon, joins, rejoins, drops, live_seconds, lag_samples, lag_ms_sum, lag_histogram)
       select $1, 'canary', false, 0, 0, 0, 0, count(*), sum(v), private.histogram_of(array_agg(width_bucket(v, private.latency_bounds()) + 1), array_agg(1))
       from unnest($2::float8[]) v`,
      [start, lags],
    );
    for (const [at, hit, read, connections] of [[-10, 0, 0, 20], [30, 990, 10, 30]] as const) {
      await db().query(
        `insert into private.database_health_samples values ($1, $2, $3, 0, 0, 0, 0, 0, 0, 0, $4, 1, 0, 0, 0, 300, 0, 1, 1, 0)`,
        [new Date(start.getTime() + at * 1000), hit, read, connections],
      );
    }
    const { rows: [step] } = await db().query(`select * from private.health_steps($1::timestamptz, $1::timestamptz + interval '1 minute', interval '1 minute')`, [start]);
    const lagHistogram = emptyHistogram();
    for (const v of lags) record(lagHistogram, v);
    expect(step).toMatchObject({ requests: '100', apdex: 0.94, latency_score: 1, error_rate: 0.02, cache_hit_ratio: 0.99, cache_score: 1, saturation: 0.1, saturation_score: 1 });
    expect(step.errors_score).toBeCloseTo(0.725, 12);
    expect(step.lag_p95_ms).toBeCloseTo(quantile(lagHistogram, 0.95)!, 9);
    expect(step.score).toBeCloseTo(30 + 25 * 0.725 + 20 + 15 * step.lag_score + 10, 9);
    expect(step.band).toBe('healthy');
  });
});
