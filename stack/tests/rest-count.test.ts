// Prefer: count=exact|planned|estimated as PostgREST v12 answers them (Query.resultSetWTotal,
// RangeQuery.rangeStatusHeader): planned is the planner's row estimate of the count query; estimated is
// the exact count while it is within max-rows, else the larger of the exact count (stopped at
// max-rows + 1) and the estimate; functions count exactly for estimated and not at all for planned.
// Runs a REST service of its own with pgrst.db_max_rows = 100 over a 5,000-row table, ANALYZEd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivateRest, type PrivateRest } from './private-rest.ts';

const ROWS = 5000;
const MAX_ROWS = 100;
let rest: PrivateRest;
/** The planner's estimates, read with EXPLAIN from Postgres as the expectations. */
let plannedAll: number;
let plannedOver: number;

const planRows = async (query: string) => {
  const { rows } = await rest.admin.query(`explain (format json) ${query}`);
  return rows[0]['QUERY PLAN'][0].Plan['Plan Rows'] as number;
};

beforeAll(async () => {
  rest = await startPrivateRest(
    'rest_count',
    `
    create table public.readings (id int primary key, sensor text not null, value int not null, twin int not null);
    -- twin = value: the planner multiplies their selectivities, so filtering on both underestimates.
    insert into public.readings select g, 's' || (g % 7), g % 1000, g % 1000 from generate_series(1, ${ROWS}) g;
    -- The estimate deliberately differs from the truth: statistics taken on 5,000 rows, then 500 deleted.
    analyze public.readings;
    delete from public.readings where id > ${ROWS - 500};
    create view public.readings_view as select id, sensor, value, twin from public.readings;
    create function public.readings_from(min_id int) returns setof public.readings language sql stable as $$ select * from public.readings where id >= min_id $$;
    grant select on public.readings, public.readings_view to anon;
    grant execute on function public.readings_from(int) to anon;
    `,
    { db_max_rows: String(MAX_ROWS) },
  );
  plannedAll = await planRows('select 1 from public.readings');
  plannedOver = await planRows('select 1 from public.readings where value >= 500');
  // The fixture is only useful if the planner is off: 5,000 rows estimated, 4,500 there.
  expect(plannedAll).toBe(ROWS);
});

afterAll(async () => {
  await rest?.close();
});

describe('REST counts: planned', () => {
  it("is the planner's estimate, whatever the exact count", async () => {
    const { count, data, status, error } = await rest.anon.from('readings').select('id', { count: 'planned' }).order('id').limit(10);
    expect(error).toBeNull();
    expect(data).toHaveLength(10);
    expect(count).toBe(plannedAll);
    expect(status).toBe(206);
  });

  it('answers HEAD with the Content-Range total and 206 for a partial page', async () => {
    const res = await rest.fetch('/readings?value=gte.500&limit=25&offset=50', { method: 'HEAD', headers: { prefer: 'count=planned' } }, undefined);
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`50-74/${plannedOver}`);
    expect(res.headers.get('preference-applied')).toBe('count=planned');
    expect(await res.text()).toBe('');
  });

  it('works on views', async () => {
    const { count, error } = await rest.anon.from('readings_view').select('*', { count: 'planned', head: true });
    expect(error).toBeNull();
    expect(count).toBe(plannedAll);
  });
});

describe('REST counts: estimated', () => {
  it('is exact while the count is within max-rows, answering 200 for the whole set', async () => {
    const { count, data, status } = await rest.anon.from('readings').select('id', { count: 'estimated' }).lte('id', 40);
    expect(count).toBe(40);
    expect(data).toHaveLength(40);
    expect(status).toBe(200);
    const res = await rest.fetch('/readings?id=lte.40', { method: 'HEAD', headers: { prefer: 'count=estimated' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBe('0-39/40');
  });

  it("is the planner's estimate above max-rows, where it differs from the exact count", async () => {
    const { count, data, status } = await rest.anon.from('readings').select('id', { count: 'estimated' });
    expect(data).toHaveLength(MAX_ROWS);
    expect(count).toBe(plannedAll);
    expect(count).not.toBe(ROWS - 500);
    expect(status).toBe(206);
    const exact = await rest.anon.from('readings').select('id', { count: 'exact', head: true });
    expect(exact.count).toBe(ROWS - 500);
  });

  it('keeps the exact count, stopped at max-rows + 1, when the estimate is lower', async () => {
    const planned = await planRows('select 1 from public.readings where value < 100 and twin < 100');
    const exact = Number((await rest.admin.query('select count(*) from public.readings where value < 100 and twin < 100')).rows[0].count);
    expect(planned).toBeLessThan(MAX_ROWS);
    expect(exact).toBeGreaterThan(MAX_ROWS + 1);
    const res = await rest.fetch('/readings?select=id&value=lt.100&twin=lt.100', { headers: { prefer: 'count=estimated' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`0-99/${MAX_ROWS + 1}`);
  });

  it('uses Range headers and HEAD like any read', async () => {
    const res = await rest.fetch('/readings?select=id&order=id', { headers: { prefer: 'count=estimated', range: '0-24' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`0-24/${plannedAll}`);
    expect(await res.json()).toHaveLength(25);
  });
});

describe('REST counts: functions', () => {
  it('counts exactly for estimated, above max-rows too', async () => {
    const { count, data, status } = await rest.anon.rpc('readings_from', { min_id: 1 }, { count: 'estimated' });
    expect(data).toHaveLength(MAX_ROWS);
    expect(count).toBe(ROWS - 500);
    expect(status).toBe(206);
  });

  it('leaves the total out for planned', async () => {
    const res = await rest.fetch('/rpc/readings_from?min_id=4001', { headers: { prefer: 'count=planned' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBe('0-99/*');
    expect(res.headers.get('preference-applied')).toBe('count=planned');
    const head = await rest.fetch('/rpc/readings_from?min_id=4401', { method: 'HEAD', headers: { prefer: 'count=planned' } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-range')).toBe('0-99/*');
  });
});

describe('REST counts: writes', () => {
  it('count=exact and estimated count the changed rows; planned leaves the total out', async () => {
    const estimated = await rest.fetch('/readings?id=eq.1', { method: 'PATCH', body: JSON.stringify({ value: 1 }), headers: { prefer: 'count=estimated', 'content-type': 'application/json' } });
    expect(estimated.status).toBe(204);
    expect(estimated.headers.get('content-range')).toBe('0-0/1');
    const planned = await rest.fetch('/readings?id=eq.1', { method: 'PATCH', body: JSON.stringify({ value: 1 }), headers: { prefer: 'count=planned', 'content-type': 'application/json' } });
    expect(planned.headers.get('content-range')).toBe('0-0/*');
  });
});
