// REST path vs the same SQL over a direct connection pool, in the same run.
// Prints one JSON line per result on stdout; progress on stderr.
import pg from 'pg';
import { benchClient, benchStackProcess, emit, measure, progress } from './harness.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 3000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 15);
const CONCURRENCY = [1, 16];

const FIXTURE = `
  create table if not exists public.bench_categories (id int primary key, name text not null);
  create table if not exists public.bench_items (
    id bigint generated always as identity primary key,
    category_id int not null references public.bench_categories (id),
    name text not null,
    price numeric(10, 2) not null,
    updated_at timestamptz not null default now()
  );
  create index if not exists bench_items_category_idx on public.bench_items (category_id);
  alter table public.bench_categories enable row level security;
  alter table public.bench_items enable row level security;
  create policy "Anyone can read bench categories" on public.bench_categories for select to anon, authenticated using (true);
  create policy "Anyone can read bench items" on public.bench_items for select to anon, authenticated using (true);
  grant select on public.bench_categories, public.bench_items to anon, authenticated;
  create or replace function public.bench_add_item(category int, item_name text, item_price numeric)
  returns bigint language sql security definer set search_path = '' as $$
    insert into public.bench_items (category_id, name, price) values (category, item_name, item_price) returning id
  $$;
  grant execute on function public.bench_add_item(int, text, numeric) to anon, authenticated;
  insert into public.bench_categories select g, 'category ' || g from generate_series(1, 50) g;
  insert into public.bench_items (category_id, name, price)
    select 1 + g % 50, 'item ' || g, (g % 1000) / 10.0 from generate_series(1, 20000) g;
  analyze public.bench_items;
  notify pgrst, 'reload schema';
`;

// What PostgREST runs for the read, as plain SQL: the same rows, the same JSON.
const DIRECT_READ = `
  select coalesce(json_agg(t), '[]') as body from (
    select i.id, i.name, i.price, json_build_object('name', c.name) as bench_categories
    from public.bench_items i join public.bench_categories c on c.id = i.category_id
    where i.category_id = $1 and i.price >= $2
    order by i.id limit 20
  ) t`;

const stack = await benchStackProcess();
progress(`stack at ${stack.apiUrl}`);
const admin = new pg.Pool({ connectionString: stack.dbUrl, max: 20 });
try {
  await admin.query(FIXTURE);
  await new Promise((r) => setTimeout(r, 500)); // let the REST schema cache reload
  const client = benchClient(stack, stack.anonKey);
  const direct = new pg.Pool({ connectionString: stack.dbUrl.replace('postgres:postgres@', 'authenticator:postgres@'), max: 20 });
  await direct.query('select 1');

  const check = await client.from('bench_items').select('id, name, price, bench_categories(name)').eq('category_id', 7).gte('price', 10).order('id').limit(20);
  if (check.error || check.data.length === 0) throw new Error(`REST read failed: ${JSON.stringify(check.error)}`);

  /** One direct-pool transaction as the anon role, as the REST path runs it. */
  const asAnon = async (begin: string, sql: string, params: unknown[]) => {
    const c = await direct.connect();
    try {
      await c.query(begin);
      await c.query('set local role anon');
      await c.query(sql, params);
      await c.query('commit');
    } finally {
      c.release();
    }
  };
  /** Measures the REST path and its direct-SQL baseline, and prints both and their ratio. */
  const compare = async (bench: string, concurrency: number, rest: (i: number) => Promise<void>, sql: (i: number) => Promise<void>) => {
    progress(`${bench}, concurrency ${concurrency}`);
    const viaRest = await measure({ concurrency, count: COUNT, maxSeconds: MAX_SECONDS }, rest);
    const viaSql = await measure({ concurrency, count: COUNT, maxSeconds: MAX_SECONDS }, sql);
    emit({ bench, path: 'rest', concurrency, ...viaRest });
    emit({ bench, path: 'direct_sql', concurrency, ...viaSql });
    emit({ bench, path: 'ratio', concurrency, throughput_ratio: +(viaRest.per_second / viaSql.per_second).toFixed(3), p50_ratio: +(viaRest.p50_ms / viaSql.p50_ms).toFixed(3) });
  };

  for (const concurrency of CONCURRENCY) {
    await compare(
      'rest.read_embed',
      concurrency,
      async (i) => {
        const { error } = await client.from('bench_items').select('id, name, price, bench_categories(name)').eq('category_id', 1 + (i % 50)).gte('price', 10).order('id').limit(20);
        if (error) throw error;
      },
      (i) => asAnon('begin read only', DIRECT_READ, [1 + (i % 50), 10]),
    );
    await compare(
      'rest.rpc_write',
      concurrency,
      async (i) => {
        const { error } = await client.rpc('bench_add_item', { category: 1 + (i % 50), item_name: `rest ${i}`, item_price: 9.99 });
        if (error) throw error;
      },
      (i) => asAnon('begin', 'select public.bench_add_item($1, $2, $3)', [1 + (i % 50), `sql ${i}`, 9.99]),
    );
  }
  await direct.end();
} finally {
  await admin.end();
  await stack.stop();
}
