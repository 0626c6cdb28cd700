// reserve_stock on a few hot products: through supabase-js over the stack's REST, and the same
// function called over a direct Postgres connection (as PostgREST would: role and JWT claims set
// per transaction), in the same run, with 16 and 64 concurrent clients. Stock is sized below the
// demand, so the runs end with refusals (409 insufficient_stock); the oversell count compares
// what was granted with the stock and must be 0.
// Prints one JSON line per result on stdout; progress on stderr.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { signJwt } from '../stack/jwt.ts';
import type { Stack } from '../stack/start.ts';
import { benchClient, benchStack, emit, measure, progress, type LatencySummary } from './harness.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 2000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 15);
const CONCURRENCY = [16, 64];
const HOT_PRODUCTS = 4;
const LOCATIONS = 2;
/** Units per run: three quarters of the calls can succeed, the rest meet an empty shelf. */
const STOCK = Math.floor((COUNT * 3) / 4);

interface Shopper {
  id: string;
  token: string;
  claims: string;
}

interface RunOutcome {
  granted: number;
  refused: number;
}

async function createShoppers(admin: pg.Pool, stack: Stack, count: number): Promise<Shopper[]> {
  const shoppers: Shopper[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    await admin.query(
      `insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, email_confirmed_at)
       values ($1, 'authenticated', 'authenticated', $2, '{"provider":"email"}', '{}', now(), now(), now())`,
      [id, `bench-${id}@example.test`],
    );
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: id, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 };
    shoppers.push({ id, token: signJwt(claims, stack.jwtSecret), claims: JSON.stringify(claims) });
  }
  return shoppers;
}

/** A vendor with HOT_PRODUCTS products holding STOCK units in total, spread over its locations. */
async function hotProducts(admin: pg.Pool, label: string): Promise<string[]> {
  const { rows: [vendor] } = await admin.query<{ id: string }>(`insert into public.vendors (name) values ($1) returning id`, [`Bench ${label}`]);
  const { rows: locations } = await admin.query<{ id: string }>(
    `insert into public.locations (vendor_id, name) select $1, 'Bench location ' || n from generate_series(1, $2::int) n returning id`,
    [vendor!.id, LOCATIONS],
  );
  const { rows: products } = await admin.query<{ id: string }>(
    `insert into public.products (vendor_id, sku, name, price) select $1, 'HOT-' || n, 'Hot product ' || n, 9.99 from generate_series(1, $2::int) n returning id`,
    [vendor!.id, HOT_PRODUCTS],
  );
  const perLevel = STOCK / (HOT_PRODUCTS * LOCATIONS);
  const client = await admin.connect();
  try {
    for (const [i, p] of products.entries()) {
      for (const [j, l] of locations.entries()) {
        // Whole units per level that add up to STOCK exactly.
        const units = Math.floor(perLevel * (i * LOCATIONS + j + 1)) - Math.floor(perLevel * (i * LOCATIONS + j));
        await client.query('begin');
        await client.query(`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
        await client.query(
          `select public.adjust_stock(product_id => $1, location_id => $2, delta => $3, reason => 'bench stock', idempotency_key => $4)`,
          [p.id, l.id, units, `bench-${randomUUID()}`],
        );
        await client.query('commit');
      }
    }
  } finally {
    client.release();
  }
  return products.map((p) => p.id);
}

/** Units granted on these products and their stock, from the database. */
async function oversell(admin: pg.Pool, productIds: string[], grantedByClients: number): Promise<{ stock: number; reserved: number; oversell: number }> {
  const { rows: [row] } = await admin.query<{ stock: number; reserved: number; active: number }>(
    `select (select sum(on_hand)::int from public.inventory_levels where product_id = any ($1)) as stock,
            (select sum(reserved)::int from public.inventory_levels where product_id = any ($1)) as reserved,
            (select coalesce(sum(quantity), 0)::int from public.reservations where product_id = any ($1) and status = 'active') as active`,
    [productIds],
  );
  const granted = Math.max(grantedByClients, row!.active, row!.reserved);
  return { stock: row!.stock, reserved: row!.active, oversell: Math.max(0, granted - row!.stock) };
}

/** Hands each concurrent call its own shopper, so no two calls of one user overlap. */
function shopperPool(shoppers: Shopper[]) {
  const free = [...shoppers];
  return async <T>(work: (s: Shopper) => Promise<T>): Promise<T> => {
    const shopper = free.pop()!;
    try {
      return await work(shopper);
    } finally {
      free.push(shopper);
    }
  };
}

const stack = await benchStack();
progress(`stack at ${stack.apiUrl}`);
const admin = new pg.Pool({ connectionString: stack.dbUrl, max: 8 });
// The per-user rate limit would measure itself: lift it (the hook still runs on every call).
await admin.query('update private.rate_limit_settings set max_requests = 1000000, period_seconds = 1');
const direct = new pg.Pool({ connectionString: stack.dbUrl.replace('postgres:postgres@', 'authenticator:postgres@'), max: Math.max(...CONCURRENCY) });
try {
  const shoppers = await createShoppers(admin, stack, Math.max(...CONCURRENCY));
  const clients = new Map(shoppers.map((s) => [s.id, benchClient(stack, stack.anonKey, s.token)]));
  const check = await clients.get(shoppers[0]!.id)!.rpc('reserve_stock', { product_id: randomUUID(), quantity: 1, idempotency_key: `bench-${randomUUID()}` });
  if (check.error?.code !== 'product_not_found') throw new Error(`REST rpc is not answering as expected: ${JSON.stringify(check.error)}`);

  const paths: Record<string, (productId: string, shopper: Shopper, outcome: RunOutcome) => Promise<void>> = {
    'supabase-js': async (productId, shopper, outcome) => {
      const { error } = await clients.get(shopper.id)!.rpc('reserve_stock', { product_id: productId, quantity: 1, idempotency_key: `bench-${randomUUID()}` });
      if (!error) outcome.granted++;
      else if (error.code === 'insufficient_stock') outcome.refused++;
      else throw new Error(`${error.code}: ${error.message}`);
    },
    direct_sql: async (productId, shopper, outcome) => {
      const c = await direct.connect();
      try {
        await c.query('begin');
        await c.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [shopper.claims]);
        await c.query('select public.reserve_stock(product_id => $1, quantity => 1, idempotency_key => $2)', [productId, `bench-${randomUUID()}`]);
        await c.query('commit');
        outcome.granted++;
      } catch (err) {
        await c.query('rollback');
        if ((err as pg.DatabaseError).code === 'PGRST' && JSON.parse((err as Error).message).code === 'insufficient_stock') outcome.refused++;
        else throw err;
      } finally {
        c.release();
      }
    },
  };

  for (const concurrency of CONCURRENCY) {
    const summaries: Record<string, LatencySummary & RunOutcome> = {};
    for (const [path, call] of Object.entries(paths)) {
      const products = await hotProducts(admin, `${path} c${concurrency}`);
      progress(`${path}, concurrency ${concurrency}, ${COUNT} calls on ${HOT_PRODUCTS} products holding ${STOCK} units`);
      const outcome: RunOutcome = { granted: 0, refused: 0 };
      const withShopper = shopperPool(shoppers);
      const latency = await measure({ concurrency, count: COUNT, maxSeconds: MAX_SECONDS }, (i) =>
        withShopper((shopper) => call(products[i % products.length]!, shopper, outcome)),
      );
      const check = await oversell(admin, products, outcome.granted);
      summaries[path] = { ...latency, ...outcome };
      emit({
        bench: 'reserve_stock', path, concurrency, hot_products: HOT_PRODUCTS,
        reservations_per_second: +(outcome.granted / latency.seconds).toFixed(2),
        calls_per_second: latency.per_second, p50_ms: latency.p50_ms, p99_ms: latency.p99_ms,
        calls: latency.count, granted: outcome.granted, refused: outcome.refused, errors: latency.errors,
        stock: check.stock, reserved: check.reserved, oversell: check.oversell, seconds: latency.seconds,
      });
    }
    const [rest, sql] = [summaries['supabase-js']!, summaries.direct_sql!];
    emit({
      bench: 'reserve_stock', path: 'ratio supabase-js/direct_sql', concurrency,
      calls_per_second_ratio: +(rest.per_second / sql.per_second).toFixed(3),
      p50_ratio: +(rest.p50_ms / sql.p50_ms).toFixed(3), p99_ratio: +(rest.p99_ms / sql.p99_ms).toFixed(3),
    });
  }
} finally {
  await direct.end();
  await admin.end();
  await stack.stop();
}
