// What the suites assert about the database: table checksums (did anything change?) and the stock
// invariants (no oversell, no drift, reserved = active holds).
import type pg from 'pg';

/**
 * Tables that change without any API request: the stack's maintenance jobs (stack/sweeper.ts:
 * health samples, telemetry rollups), telemetry that clients report, and the per-user rate limit
 * counter that every stock RPC call takes a slot from, refused or not.
 */
export const VOLATILE_TABLES = [
  'private.rate_limits',
  'private.database_health_samples',
  'private.domain_samples',
  'private.telemetry_api_minutes',
  'private.telemetry_api_hours',
  'private.telemetry_cache_minutes',
  'private.telemetry_errors',
  'private.telemetry_realtime_minutes',
  'private.telemetry_state',
];

/** One md5 per table of public and private, and of auth.users, of all its rows in a fixed order. */
export async function tableChecksums(db: pg.Client, exclude: string[] = VOLATILE_TABLES): Promise<Record<string, string>> {
  const { rows: tables } = await db.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and (n.nspname in ('public', 'private') or (n.nspname = 'auth' and c.relname = 'users'))
     order by 1`,
  );
  const sums: Record<string, string> = {};
  for (const { name } of tables) {
    if (exclude.includes(name)) continue;
    const { rows } = await db.query<{ sum: string; n: string }>(
      `select coalesce(md5(string_agg(t::text, '|' order by t::text)), '-') as sum, count(*) as n from ${name} t`,
    );
    sums[name] = `${rows[0]!.n}:${rows[0]!.sum}`;
  }
  return sums;
}

export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

export interface StockInvariants {
  levels: number;
  /** Levels with on_hand < 0, reserved < 0, reserved > on_hand or available < 0. */
  oversold: number;
  /** Rows of stock_drift_report(): a counter its ledger does not explain. */
  drift: number;
  /** Levels whose reserved is not the sum of their active reservations. */
  reserved_mismatch: number;
  /** Active reservations past their expiry by more than 30 s (the sweeper runs every 2 s). */
  overdue_holds: number;
}

/** Reads the invariants as the superuser (the drift report as the service role). */
export async function stockInvariants(db: pg.Client): Promise<StockInvariants> {
  const { rows } = await db.query<Record<keyof StockInvariants, string>>(`
    select
      (select count(*) from public.inventory_levels) as levels,
      (select count(*) from public.inventory_levels where on_hand < 0 or reserved < 0 or reserved > on_hand or available < 0) as oversold,
      (select count(*) from public.inventory_levels l
         where l.reserved <> coalesce((select sum(quantity) from public.reservations r
                                       where r.product_id = l.product_id and r.location_id = l.location_id and r.status = 'active'), 0)) as reserved_mismatch,
      (select count(*) from public.reservations where status = 'active' and expires_at < now() - interval '30 seconds') as overdue_holds`);
  await db.query('begin');
  try {
    await db.query(`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
    const drift = await db.query<{ n: string }>('select count(*) as n from public.stock_drift_report()');
    const r = rows[0]!;
    return { levels: +r.levels, oversold: +r.oversold, drift: +drift.rows[0]!.n, reserved_mismatch: +r.reserved_mismatch, overdue_holds: +r.overdue_holds };
  } finally {
    await db.query('rollback');
  }
}
