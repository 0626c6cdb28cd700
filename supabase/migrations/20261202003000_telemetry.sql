-- Real-user telemetry from the SPA, stored as per-minute rollups (never raw events):
--   private.telemetry_api_minutes       supabase-js calls: count, duration sum and a latency
--                                       histogram per (minute, operation, method, status, code,
--                                       vendor, anon)
--   private.telemetry_cache_minutes     react-query reads served from the cache vs network fetches
--   private.telemetry_realtime_minutes  channel joins, rejoins, drops, live channel-seconds and the
--                                       realtime lag histogram
--   private.telemetry_errors            the latest failed calls, one row each, with the request id
--   private.telemetry_api_hours         the calls rolled up per hour by the maintenance job, so long
--                                       ranges read 60 times fewer rows (kept 30 days)
-- written only by public.ingest_telemetry(batch, idempotency_key): one validated, rate-limited
-- batch at a time. Nothing here stores tokens, emails, messages or bodies: every stored string is
-- checked against a pattern that cannot hold them.
--
-- Latency histograms have 66 fixed log-spaced buckets (Prometheus/HDR histograms as the model):
-- bucket 1 is [0, 1) ms, bucket i (2..65) is [2^((i-2)/4), 2^((i-1)/4)) ms (quarter octaves, 19 %
-- wide), bucket 66 is [65.536 s, ...). Histograms of the same buckets merge by adding them
-- element-wise, so any range's percentiles come from merged rollups, within one bucket's width.
-- The same buckets are in src/lib/telemetry/histogram.ts.
--
-- Rows are append-only: a key (minute, operation, ...) may have several rows until
-- public.maintain_telemetry() merges them (merging is exact), so ingestion never waits on a lock.

create table private.telemetry_settings (
  id boolean primary key default true,
  -- Batches per minute (bursts of that many) for each signed-in user.
  user_batches_per_minute integer not null default 30,
  -- Anonymous callers: per client address when the request carries one (x-forwarded-for, as
  -- Supabase's gateway sets it), and all anonymous callers together.
  anon_client_batches_per_minute integer not null default 30,
  anon_batches_per_minute integer not null default 1200,
  minute_retention interval not null default '48 hours',
  hour_retention interval not null default '30 days',
  error_retention interval not null default '48 hours',
  max_errors integer not null default 10000,
  sample_retention interval not null default '48 hours'
);

create table private.telemetry_api_minutes (
  minute timestamptz not null,
  -- '<service>:<name>': rest:<table>, rpc:<function>, auth:<endpoint>, realtime:<endpoint>.
  operation text not null,
  method text not null,
  -- HTTP status; 0 when no response arrived (network error).
  status smallint not null,
  code text,
  -- ok, rejected (a business outcome the app expects) or error: private.call_outcome().
  outcome text not null,
  vendor_id uuid,
  anon boolean not null,
  requests integer not null,
  replays integer not null default 0,
  duration_ms_sum double precision not null,
  histogram integer[] not null
);

-- Up to when the maintenance job has rolled minutes up into hours (readers use hours before it).
create table private.telemetry_state (
  id boolean primary key default true,
  hours_rolled_until timestamptz
);

create table private.telemetry_cache_minutes (
  minute timestamptz not null,
  -- The query key's first element (the feature's key root: 'catalog', 'auth', ...).
  query_key text not null,
  anon boolean not null,
  -- Reads served from the cache (fresh), served stale while refetching, and reads with nothing cached.
  hits integer not null,
  stale_hits integer not null,
  misses integer not null,
  fetches integer not null
);

create table private.telemetry_realtime_minutes (
  minute timestamptz not null,
  -- The channel's label in the SPA ('shop availability', 'stock levels', 'canary').
  channel text not null,
  anon boolean not null,
  joins integer not null,
  rejoins integer not null,
  drops integer not null,
  -- Seconds channels were live, summed over clients: / 60 is the average of live channels.
  live_seconds double precision not null,
  lag_samples integer not null,
  lag_ms_sum double precision not null,
  lag_histogram integer[] not null
);

create table private.telemetry_errors (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  operation text not null,
  method text not null,
  status smallint not null,
  code text,
  outcome text not null,
  vendor_id uuid,
  anon boolean not null,
  request_id text,
  duration_ms real not null
);

alter table private.telemetry_settings
  add constraint telemetry_settings_single_row check (id),
  add constraint telemetry_settings_limits_positive check (user_batches_per_minute > 0 and anon_client_batches_per_minute > 0 and anon_batches_per_minute > 0),
  add constraint telemetry_settings_max_errors_positive check (max_errors > 0);
alter table private.telemetry_api_minutes
  add constraint telemetry_api_minutes_histogram_size check (cardinality(histogram) = 66),
  add constraint telemetry_api_minutes_requests_positive check (requests > 0),
  add constraint telemetry_api_minutes_outcome_valid check (outcome in ('ok', 'rejected', 'error'));
alter table private.telemetry_errors
  add constraint telemetry_errors_outcome_valid check (outcome in ('rejected', 'error'));
-- The same columns and checks, per hour.
create table private.telemetry_api_hours (like private.telemetry_api_minutes including defaults including constraints);
alter table private.telemetry_api_hours rename column minute to hour;
alter table private.telemetry_state
  add constraint telemetry_state_single_row check (id);
alter table private.telemetry_realtime_minutes
  add constraint telemetry_realtime_minutes_histogram_size check (cardinality(lag_histogram) = 66);
create index telemetry_api_minutes_minute_idx on private.telemetry_api_minutes (minute);
create index telemetry_api_hours_hour_idx on private.telemetry_api_hours (hour);
create index telemetry_cache_minutes_minute_idx on private.telemetry_cache_minutes (minute);
create index telemetry_realtime_minutes_minute_idx on private.telemetry_realtime_minutes (minute);
create index telemetry_errors_occurred_at_idx on private.telemetry_errors (occurred_at);

alter table private.telemetry_settings enable row level security;
alter table private.telemetry_api_minutes enable row level security;
alter table private.telemetry_api_hours enable row level security;
alter table private.telemetry_state enable row level security;
alter table private.telemetry_cache_minutes enable row level security;
alter table private.telemetry_realtime_minutes enable row level security;
alter table private.telemetry_errors enable row level security;

revoke all on table private.telemetry_settings, private.telemetry_api_minutes, private.telemetry_api_hours, private.telemetry_state,
  private.telemetry_cache_minutes, private.telemetry_realtime_minutes, private.telemetry_errors from public, anon, authenticated, service_role;

insert into private.telemetry_settings default values;
insert into private.telemetry_state default values;

-- How a call ended: ok, rejected (a business outcome the app expects: stock, version and key
-- conflicts, rate limits, wrong passwords, taken emails) or error (5xx, no response, other 4xx).
create function private.call_outcome(p_status integer, p_code text) returns text
language sql
immutable
security definer
set search_path = ''
as $$
  select case
    when p_status between 100 and 399 then 'ok'
    when p_status in (409, 422, 429) or p_code in ('invalid_credentials', 'user_already_exists', 'email_exists', 'weak_password') then 'rejected'
    else 'error'
  end
$$;

-- The lower bounds of buckets 2..66, in ms: width_bucket(ms, bounds) + 1 is the bucket. 2^(k/4)
-- as 2^(k div 4) times one of four constants, so the bounds are bit for bit those of the SPA's
-- histogram.ts (pow() differs in the last digit between libm and JavaScript engines).
create function private.latency_bounds() returns double precision[]
language sql
immutable
security definer
set search_path = ''
as $$
  select array_agg(power(2::double precision, k / 4) * (array[1, 1.189207115002721, 1.4142135623730951, 1.681792830507429]::double precision[])[k % 4 + 1] order by k)
  from generate_series(0, 64) k
$$;

-- A histogram of the given bucket numbers (1..66), each counted `weights` times.
create function private.histogram_of(p_buckets integer[], p_weights integer[]) returns integer[]
language sql
immutable
security definer
set search_path = ''
as $$
  select array_agg(coalesce(c.n, 0)::integer order by i)
  from generate_series(1, 66) i
  left join (select b, sum(w) as n from unnest(p_buckets, p_weights) u (b, w) group by b) c on c.b = i
$$;

-- The q-quantile (0 < q <= 1) of a histogram, within the width of the bucket holding it: the
-- bucket where the cumulative count first reaches q * total holds the nearest-rank value, and the
-- estimate interpolates inside it (geometrically; linearly in [0, 1) ms). The open last bucket
-- answers its lower bound. Null when the histogram is empty.
create function private.histogram_quantile(p_histogram bigint[], p_q double precision) returns double precision
language plpgsql
immutable
security definer
set search_path = ''
as $$
declare
  v_bounds constant double precision[] := private.latency_bounds();
  v_total numeric := 0;
  v_rank numeric;
  v_seen numeric := 0;
  v_count numeric;
  v_fraction double precision;
  v_lower double precision;
  v_upper double precision;
begin
  if p_histogram is null then
    return null;
  end if;
  for i in 1..66 loop
    v_total := v_total + coalesce(p_histogram[i], 0);
  end loop;
  if v_total = 0 then
    return null;
  end if;
  v_rank := greatest(p_q, 0) * v_total;
  for i in 1..66 loop
    v_count := coalesce(p_histogram[i], 0);
    if v_count > 0 and v_seen + v_count >= v_rank then
      v_fraction := greatest((v_rank - v_seen) / v_count, 0);
      if i = 1 then
        return v_fraction;
      elsif i = 66 then
        return v_bounds[65];
      end if;
      v_lower := v_bounds[i - 1];
      v_upper := v_bounds[i];
      return v_lower * power(v_upper / v_lower, v_fraction);
    end if;
    v_seen := v_seen + v_count;
  end loop;
  return v_bounds[65];
end;
$$;

-- Apdex with T = 256 ms and 4T = 1024 ms, both bucket bounds, so it is exact from a histogram:
-- (calls under T + half of the calls under 4T) / calls. Null when empty.
create function private.histogram_apdex(p_histogram bigint[]) returns double precision
language sql
immutable
security definer
set search_path = ''
as $$
  select case when total > 0 then (satisfied + tolerating / 2.0) / total end
  from (
    select coalesce(sum(n) filter (where i <= 33), 0) as satisfied,
           coalesce(sum(n) filter (where i between 34 and 41), 0) as tolerating,
           coalesce(sum(n), 0) as total
    from unnest(p_histogram) with ordinality h (n, i)
  ) c
$$;

-- SQL for the element-wise sum of a histogram column over a group: array[sum(h[1]), ...]. Adding
-- subscripts with the built-in sum is ~50 times faster than unnest or a custom aggregate.
create function private.histogram_sum_sql(p_column text) returns text
language sql
immutable
security definer
set search_path = ''
as $$
  select 'array[' || string_agg(format('coalesce(sum(%s[%s]), 0)', p_column, i), ', ' order by i) || ']::bigint[]'
  from generate_series(1, 66) i
$$;

-- Per-caller rate limits for telemetry, GCRA as private.check_rate_limit does, on rows of
-- private.rate_limits keyed 'telemetry:...' (purge_rate_limits() clears them too). Raises 429
-- rate_limited with Retry-After; an error rolls the count back with the rest of the request.
create function private.take_telemetry_budget(p_caller text, p_per_minute integer, p_who text) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := clock_timestamp();
  v_increment interval := interval '60 seconds' / p_per_minute;
  v_tat timestamptz;
  v_retry_after integer;
begin
  insert into private.rate_limits (caller, tat) values (p_caller, v_now) on conflict (caller) do nothing;
  select greatest(tat, v_now) into v_tat from private.rate_limits where caller = p_caller for update;
  if v_tat + v_increment - interval '60 seconds' > v_now then
    v_retry_after := greatest(1, ceil(extract(epoch from (v_tat + v_increment - interval '60 seconds' - v_now)))::integer);
    perform private.raise_error('rate_limited', 429, 'Too many telemetry batches',
      format('at most %s batches per minute for %s', p_per_minute, p_who),
      format('Retry after %s seconds.', v_retry_after),
      jsonb_build_object('Retry-After', v_retry_after::text));
  end if;
  update private.rate_limits set tat = v_tat + v_increment where caller = p_caller;
end;
$$;

create function private.telemetry_limits() returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_settings private.telemetry_settings;
  v_uid uuid := auth.uid();
  v_client text;
begin
  select * into v_settings from private.telemetry_settings;
  if v_uid is not null then
    perform private.take_telemetry_budget('telemetry:user:' || v_uid, v_settings.user_batches_per_minute, 'each user');
    return;
  end if;
  v_client := nullif(trim(split_part(nullif(current_setting('request.headers', true), '')::jsonb ->> 'x-forwarded-for', ',', 1)), '');
  if v_client is not null then
    perform private.take_telemetry_budget('telemetry:anon:' || left(v_client, 64), v_settings.anon_client_batches_per_minute, 'each anonymous client address');
  end if;
  perform private.take_telemetry_budget('telemetry:anon', v_settings.anon_batches_per_minute, 'all anonymous callers together');
end;
$$;

-- What a batch may hold: per list, each field's kind, whether it must be there or may be null,
-- the pattern its text (or its number written out) must match, its range, and what to say when it
-- does not. The shape:
--   {v: 1, api: [...], cache: [...], realtime: [...], lag: [...]}   (lists optional, not all empty)
-- age_ms is how long before sending the event happened (the server's clock dates it, never the
-- browser's); w is a sampling weight (the call stands for w calls).
create function private.telemetry_fields()
returns table (list text, ord integer, field text, kind text, required boolean, nullable boolean, pattern text, min numeric, max numeric, message text)
language sql
immutable
security definer
set search_path = ''
as $$
  values
    ('api', 1, 'op', 'text', true, false, '^(?=.{1,100}$)(rest|rpc|auth|realtime|storage|functions):[a-z0-9_]+(/[a-z0-9_]+)*$', null, null,
      'must be "<service>:<name>" in lower case (rest:products, rpc:reserve_stock), at most 100 characters'),
    ('api', 2, 'method', 'text', true, false, '^(GET|HEAD|POST|PATCH|PUT|DELETE)$', null, null, 'must be GET, HEAD, POST, PATCH, PUT or DELETE'),
    ('api', 3, 'status', 'number', true, false, '^(0|[1-5][0-9][0-9])$', 0, 599, 'must be an HTTP status (100..599) or 0 for no response'),
    ('api', 4, 'code', 'text', false, true, '^[A-Za-z0-9_]{1,64}$', null, null, 'must be null or an error code of 1 to 64 letters, digits and _'),
    ('api', 5, 'ms', 'number', true, false, null, 0, 1e9, 'must be a number of milliseconds between 0 and 1e9'),
    ('api', 6, 'age_ms', 'number', true, false, null, 0, 3600000, 'must be a number of milliseconds between 0 and 3600000'),
    ('api', 7, 'rid', 'text', false, true, '^[A-Za-z0-9-]{8,64}$', null, null, 'must be null or a request id of 8 to 64 letters, digits and -'),
    ('api', 8, 'vendor', 'text', false, true, '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', null, null, 'must be null or a vendor id (a lower-case UUID)'),
    ('api', 9, 'replayed', 'boolean', false, true, null, null, null, 'must be a boolean'),
    ('api', 10, 'w', 'number', false, false, '^[0-9]+$', 1, 1000, 'must be an integer weight between 1 and 1000'),
    ('cache', 1, 'key', 'text', true, false, '^[a-z0-9_-]{1,40}$', null, null, 'must be a query key root of 1 to 40 lower-case letters, digits, _ and -'),
    ('cache', 2, 'hits', 'number', true, false, '^[0-9]+$', 0, 100000, 'must be an integer between 0 and 100000'),
    ('cache', 3, 'stale', 'number', true, false, '^[0-9]+$', 0, 100000, 'must be an integer between 0 and 100000'),
    ('cache', 4, 'misses', 'number', true, false, '^[0-9]+$', 0, 100000, 'must be an integer between 0 and 100000'),
    ('cache', 5, 'fetches', 'number', true, false, '^[0-9]+$', 0, 100000, 'must be an integer between 0 and 100000'),
    ('cache', 6, 'age_ms', 'number', true, false, null, 0, 3600000, 'must be a number of milliseconds between 0 and 3600000'),
    ('realtime', 1, 'channel', 'text', true, false, '^[a-z0-9][a-z0-9 _-]{0,39}$', null, null, 'must be a channel label of 1 to 40 lower-case letters, digits, spaces, _ and -'),
    ('realtime', 2, 'joins', 'number', true, false, '^[0-9]+$', 0, 10000, 'must be an integer between 0 and 10000'),
    ('realtime', 3, 'rejoins', 'number', true, false, '^[0-9]+$', 0, 10000, 'must be an integer between 0 and 10000'),
    ('realtime', 4, 'drops', 'number', true, false, '^[0-9]+$', 0, 10000, 'must be an integer between 0 and 10000'),
    ('realtime', 5, 'live_s', 'number', true, false, null, 0, 360000, 'must be a number of channel-seconds between 0 and 360000'),
    ('realtime', 6, 'age_ms', 'number', true, false, null, 0, 3600000, 'must be a number of milliseconds between 0 and 3600000'),
    ('lag', 1, 'ms', 'number', true, false, null, 0, 1e9, 'must be a number of milliseconds between 0 and 1e9'),
    ('lag', 2, 'age_ms', 'number', true, false, null, 0, 3600000, 'must be a number of milliseconds between 0 and 3600000'),
    ('lag', 3, 'channel', 'text', false, true, '^[a-z0-9][a-z0-9 _-]{0,39}$', null, null, 'must be null or a channel label of 1 to 40 lower-case letters, digits, spaces, _ and -')
$$;

-- The first problem of a batch, as 'path: what is wrong' (api[3].status: must be ...), or null
-- when it is valid. A value is read as a number only once its JSON type is a number, so no value
-- can make a cast fail.
create function private.telemetry_problem(p_batch jsonb) returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_problem text;
  v_list text;
  v_items integer := 0;
begin
  if p_batch is null then
    return 'batch: is required';
  elsif jsonb_typeof(p_batch) <> 'object' then
    return 'batch: must be an object';
  end if;
  select format('batch.%s: is not a known field', k) into v_problem
  from jsonb_object_keys(p_batch) k where k not in ('v', 'api', 'cache', 'realtime', 'lag') order by k limit 1;
  if v_problem is not null then
    return v_problem;
  end if;
  if p_batch -> 'v' is distinct from '1'::jsonb then
    return 'batch.v: must be 1';
  end if;
  foreach v_list in array array['api', 'cache', 'realtime', 'lag'] loop
    if p_batch ? v_list then
      if jsonb_typeof(p_batch -> v_list) <> 'array' then
        return format('batch.%s: must be an array', v_list);
      end if;
      v_items := v_items + jsonb_array_length(p_batch -> v_list);
    end if;
  end loop;
  if v_items = 0 then
    return 'batch: has no events';
  end if;

  -- Every problem of every item; the first one by list, item, then: not an object, an unknown
  -- field (alphabetically), each field by its rule.
  with rules as materialized (
    select * from private.telemetry_fields()
  ), items as materialized (
    select l.list, l.n, e.x, e.i, (select array_agg(r.field) from rules r where r.list = l.list) as known
    from unnest(array['api', 'cache', 'realtime', 'lag']) with ordinality l (list, n)
    cross join lateral jsonb_array_elements(coalesce(p_batch -> l.list, '[]')) with ordinality e (x, i)
  ), problems as (
    select it.n, it.i, 0 as rank, it.list, 'item: must be an object' as problem
    from items it where jsonb_typeof(it.x) <> 'object'
    union all
    select it.n, it.i, 1, it.list, format('%s: is not a known field', k)
    from items it, jsonb_object_keys(case jsonb_typeof(it.x) when 'object' then it.x else '{}' end) k
    where k <> all (it.known)
    union all
    select it.n, it.i, 2 + r.ord, it.list, format('%s: %s', r.field, r.message)
    from items it join rules r on r.list = it.list
    where jsonb_typeof(it.x) = 'object' and not case
      when not (it.x ? r.field) then not r.required
      when jsonb_typeof(it.x -> r.field) = 'null' then r.nullable
      when r.kind = 'boolean' then jsonb_typeof(it.x -> r.field) = 'boolean'
      when r.kind = 'text' then jsonb_typeof(it.x -> r.field) = 'string' and (it.x ->> r.field) ~ r.pattern
      when jsonb_typeof(it.x -> r.field) <> 'number' then false
      else (it.x ->> r.field) ~ coalesce(r.pattern, '') and (it.x -> r.field)::numeric between r.min and r.max
    end
  )
  select format('%s[%s].%s', p.list, p.i - 1, p.problem) into v_problem
  from problems p
  order by p.n, p.i, p.rank, p.problem
  limit 1;
  return v_problem;
end;
$$;

-- Stores one batch of telemetry from the SPA. Anyone may call it (the shop is public), within
-- the per-caller and anonymous limits; it writes only the telemetry tables. Durations are clamped
-- to 0..120 s. A vendor id counts only if the vendor exists; without one, a caller who is a member
-- of exactly one vendor has their calls counted for that vendor.
create function public.ingest_telemetry(batch jsonb default null, idempotency_key text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  p_batch jsonb := $1;
  p_key text := $2;
  v_now timestamptz := clock_timestamp();
  v_anon boolean := auth.uid() is null;
  v_stored jsonb;
  v_problem text;
  v_bytes integer;
  v_member_vendor uuid;
  v_result jsonb;
  v_api integer;
  v_cache integer;
  v_realtime integer;
  v_lag integer;
begin
  perform private.require_idempotency_key(p_key);
  v_bytes := octet_length(p_batch::text);
  if v_bytes > 65536 then
    perform private.raise_error('telemetry_too_large', 413, 'The telemetry batch is too large',
      format('the batch is %s bytes; at most 65536', v_bytes), 'Send smaller batches more often.');
  end if;
  v_stored := private.idempotency_lookup('ingest_telemetry', p_key, jsonb_build_object('batch', p_batch));
  if v_stored is not null then
    return v_stored;
  end if;
  perform private.telemetry_limits();

  v_problem := private.telemetry_problem(p_batch);
  if v_problem is not null then
    perform private.raise_error('telemetry_invalid', 400, 'The telemetry batch is invalid', v_problem,
      'Send {v: 1, api: [...], cache: [...], realtime: [...], lag: [...]} as supabase/README.md describes.');
  end if;
  v_api := jsonb_array_length(coalesce(p_batch -> 'api', '[]'));
  v_cache := jsonb_array_length(coalesce(p_batch -> 'cache', '[]'));
  v_realtime := jsonb_array_length(coalesce(p_batch -> 'realtime', '[]'));
  v_lag := jsonb_array_length(coalesce(p_batch -> 'lag', '[]'));
  if v_api > 200 or v_cache > 50 or v_realtime > 50 or v_lag > 200 then
    perform private.raise_error('telemetry_too_large', 413, 'The telemetry batch is too large',
      format('api has %s, cache %s, realtime %s and lag %s items; at most 200, 50, 50 and 200', v_api, v_cache, v_realtime, v_lag),
      'Send smaller batches more often.');
  end if;

  if not v_anon then
    select min(vendor_id::text)::uuid into v_member_vendor from public.vendor_members where user_id = auth.uid() having count(*) = 1;
  end if;

  if v_api > 0 then
    with calls as (
      select date_trunc('minute', v_now - make_interval(secs => c.age_ms / 1000.0)) as minute,
             c.op, c.method, c.status::smallint as status, c.code, private.call_outcome(c.status::integer, c.code) as outcome,
             coalesce(v.id, v_member_vendor) as vendor_id,
             least(greatest(c.ms, 0), 120000) as ms,
             coalesce(c.w, 1)::integer as w, coalesce(c.replayed, false) as replayed, c.rid, c.age_ms
      from jsonb_to_recordset(p_batch -> 'api') as c (op text, method text, status numeric, code text, ms double precision,
                                                       age_ms double precision, rid text, vendor uuid, replayed boolean, w numeric)
      left join public.vendors v on v.id = c.vendor
    ), stored_errors as (
      insert into private.telemetry_errors (occurred_at, operation, method, status, code, outcome, vendor_id, anon, request_id, duration_ms)
      select v_now - make_interval(secs => age_ms / 1000.0), op, method, status, code, outcome, vendor_id, v_anon, rid, ms
      from calls where outcome <> 'ok'
    )
    insert into private.telemetry_api_minutes (minute, operation, method, status, code, outcome, vendor_id, anon, requests, replays, duration_ms_sum, histogram)
    select minute, op, method, status, code, outcome, vendor_id, v_anon, sum(w), coalesce(sum(w) filter (where replayed), 0), sum(ms * w),
           private.histogram_of(array_agg(width_bucket(ms, private.latency_bounds()) + 1), array_agg(w))
    from calls
    group by minute, op, method, status, code, outcome, vendor_id;
  end if;

  if v_cache > 0 then
    insert into private.telemetry_cache_minutes (minute, query_key, anon, hits, stale_hits, misses, fetches)
    select date_trunc('minute', v_now - make_interval(secs => c.age_ms / 1000.0)), c.key, v_anon,
           sum(c.hits)::integer, sum(c.stale)::integer, sum(c.misses)::integer, sum(c.fetches)::integer
    from jsonb_to_recordset(p_batch -> 'cache') as c (key text, hits numeric, stale numeric, misses numeric, fetches numeric, age_ms double precision)
    group by 1, 2;
  end if;

  if v_realtime > 0 or v_lag > 0 then
    insert into private.telemetry_realtime_minutes (minute, channel, anon, joins, rejoins, drops, live_seconds, lag_samples, lag_ms_sum, lag_histogram)
    select minute, channel, v_anon, sum(joins)::integer, sum(rejoins)::integer, sum(drops)::integer, sum(live_s), count(lag_ms), coalesce(sum(lag_ms), 0),
           private.histogram_of(coalesce(array_agg(width_bucket(lag_ms, private.latency_bounds()) + 1) filter (where lag_ms is not null), '{}'),
                                coalesce(array_agg(1) filter (where lag_ms is not null), '{}'))
    from (
      select date_trunc('minute', v_now - make_interval(secs => r.age_ms / 1000.0)) as minute, r.channel,
             r.joins, r.rejoins, r.drops, r.live_s, null::double precision as lag_ms
      from jsonb_to_recordset(coalesce(p_batch -> 'realtime', '[]')) as r (channel text, joins numeric, rejoins numeric, drops numeric, live_s double precision, age_ms double precision)
      union all
      select date_trunc('minute', v_now - make_interval(secs => l.age_ms / 1000.0)), coalesce(l.channel, 'canary'),
             0, 0, 0, 0, least(greatest(l.ms, 0), 120000)
      from jsonb_to_recordset(coalesce(p_batch -> 'lag', '[]')) as l (ms double precision, age_ms double precision, channel text)
    ) events
    group by minute, channel;
  end if;

  v_result := jsonb_build_object('accepted', jsonb_build_object('api', v_api, 'cache', v_cache, 'realtime', v_realtime, 'lag', v_lag));
  perform private.idempotency_save('ingest_telemetry', p_key, jsonb_build_object('batch', p_batch), v_result);
  return v_result;
end;
$$;

revoke all on function private.call_outcome(integer, text) from public;
revoke all on function private.latency_bounds() from public;
revoke all on function private.histogram_of(integer[], integer[]) from public;
revoke all on function private.histogram_quantile(bigint[], double precision) from public;
revoke all on function private.histogram_apdex(bigint[]) from public;
revoke all on function private.histogram_sum_sql(text) from public;
revoke all on function private.take_telemetry_budget(text, integer, text) from public;
revoke all on function private.telemetry_limits() from public;
revoke all on function private.telemetry_fields() from public;
revoke all on function private.telemetry_problem(jsonb) from public;
revoke all on function public.ingest_telemetry(jsonb, text) from public, anon, authenticated, service_role;
grant execute on function public.ingest_telemetry(jsonb, text) to anon, authenticated;
