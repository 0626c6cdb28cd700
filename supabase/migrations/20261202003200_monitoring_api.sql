-- The admin dashboard's read API: functions only platform admins (and the service role) may
-- call; everyone else gets 401 (anon, no grant) or 403 admin_required. Series functions take a
-- range and a step in seconds (a multiple of 60) and answer one row per step, oldest first, the
-- last one ending with the current minute (hour, for steps of whole hours); `seconds` is how much
-- of each step has elapsed, for per-second rates. Calls are read from hourly rollups for whole
-- hours the maintenance job has rolled up, and from the per-minute ones otherwise.
--
-- Health score (0-100), computed here from the same model admin_health_model() returns:
--   each component's measurement maps to a score in [0, 1], linearly between anchors
--     latency     Apdex of API calls, T = 256 ms        0.94 -> 1, 0.85 -> 0.8, 0.70 -> 0.5, 0.50 -> 0
--     errors      (5xx + no response + unexpected 4xx)   0.1 % -> 1, 1 % -> 0.8, 5 % -> 0.5, 20 % -> 0
--                 / calls
--     cache       database buffer cache hit ratio        99 % -> 1, 98 % -> 0.8, 95 % -> 0.5, 80 % -> 0
--     lag         realtime canary lag p95 (ms)           100 -> 1, 1000 -> 0.8, 10000 -> 0.5, 30000 -> 0
--     saturation  client connections / max_connections   60 % -> 1, 80 % -> 0.8, 90 % -> 0.5, 100 % -> 0
--   a component is healthy at score >= 0.8, degraded at >= 0.5, failing below;
--   score = 100 * sum(weight * component score) / sum(weight) over components with data
--     (weights: latency 30, errors 25, cache 20, lag 15, saturation 10);
--   a failing component caps the score at 49; healthy >= 80, degraded >= 50, failing below.

create function private.require_admin() returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not ((select private.is_admin()) or (select auth.role()) = 'service_role') then
    perform private.raise_error('admin_required', 403, 'Only platform admins can read monitoring data',
      'the caller is not a platform admin', 'Sign in as a user whose app_metadata.role is admin.');
  end if;
end;
$$;

-- The steps of a range ending with the current minute (hour): [range_start, range_end) in
-- `step`s, for an admin: everyone else gets 403 admin_required before any argument is checked.
create function private.monitoring_window(
  p_range_seconds integer, p_step_seconds integer,
  out range_start timestamptz, out range_end timestamptz, out step interval
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  if p_range_seconds is null or p_range_seconds not between 60 and 172800 then
    perform private.raise_error('invalid_argument', 400, 'range_seconds must be between 60 and 172800',
      format('range_seconds is %s', coalesce(p_range_seconds::text, 'null')), 'Telemetry is kept 48 hours.');
  end if;
  if p_step_seconds is null or p_step_seconds < 60 or p_step_seconds % 60 <> 0 or p_step_seconds > p_range_seconds
     or ceil(p_range_seconds::numeric / p_step_seconds) > 1440 then
    perform private.raise_error('invalid_argument', 400, 'step_seconds must be a multiple of 60, at most the range and 1440 steps per range',
      format('step_seconds is %s for a range of %s seconds', coalesce(p_step_seconds::text, 'null'), p_range_seconds));
  end if;
  step := make_interval(secs => p_step_seconds);
  range_end := date_trunc(case when p_step_seconds % 3600 = 0 then 'hour' else 'minute' end, now())
               + case when p_step_seconds % 3600 = 0 then interval '1 hour' else interval '1 minute' end;
  range_start := range_end - step * ceil(p_range_seconds::numeric / p_step_seconds)::integer;
end;
$$;

-- Every call reported in [p_start, p_end), each once: from hourly rollups for the whole hours
-- inside the window that are rolled up (when p_hours), from per-minute rollups for the rest.
-- `at` is the row's minute or hour.
create function private.api_rows(p_start timestamptz, p_end timestamptz, p_hours boolean)
returns table (at timestamptz, operation text, method text, status smallint, code text, outcome text, vendor_id uuid, anon boolean,
               requests integer, replays integer, duration_ms_sum double precision, histogram integer[])
language sql
stable
security definer
set search_path = ''
as $$
  with bounds as (
    -- Hour rows cover [lo, hi): the first hour boundary at or after the start, to the last one
    -- before both the end and what is rolled up.
    select lo, greatest(lo, least(date_trunc('hour', p_end), coalesce(s.hours_rolled_until, '-infinity'))) as hi
    from private.telemetry_state s,
         lateral (select date_trunc('hour', p_start) + case when date_trunc('hour', p_start) < p_start then interval '1 hour' else interval '0' end as lo) l
    where p_hours
    union all
    select p_start, p_start where not p_hours
  )
  select h.hour, h.operation, h.method, h.status, h.code, h.outcome, h.vendor_id, h.anon, h.requests, h.replays, h.duration_ms_sum, h.histogram
  from private.telemetry_api_hours h, bounds b
  where h.hour >= b.lo and h.hour < b.hi
  union all
  select m.minute, m.operation, m.method, m.status, m.code, m.outcome, m.vendor_id, m.anon, m.requests, m.replays, m.duration_ms_sum, m.histogram
  from private.telemetry_api_minutes m, bounds b
  where (m.minute >= p_start and m.minute < least(b.lo, p_end)) or (m.minute >= b.hi and m.minute < p_end)
$$;

-- API calls per step: counts by outcome and the merged latency histogram.
create function private.api_steps(p_start timestamptz, p_end timestamptz, p_step interval)
returns table (bucket timestamptz, requests bigint, errors bigint, rejections bigint, replays bigint, duration_ms_sum double precision, histogram bigint[])
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query execute format($q$
    select s.bucket, coalesce(a.requests, 0), coalesce(a.errors, 0), coalesce(a.rejections, 0), coalesce(a.replays, 0),
           coalesce(a.duration_ms_sum, 0), a.histogram
    from generate_series($1, $2 - $3, $3) s (bucket)
    left join (
      select date_bin($3, m.at, $1) as bucket,
             sum(m.requests)::bigint as requests,
             coalesce(sum(m.requests) filter (where m.outcome = 'error'), 0)::bigint as errors,
             coalesce(sum(m.requests) filter (where m.outcome = 'rejected'), 0)::bigint as rejections,
             sum(m.replays)::bigint as replays,
             sum(m.duration_ms_sum) as duration_ms_sum,
             %s as histogram
      from private.api_rows($1, $2, extract(epoch from $3)::integer %% 3600 = 0) m
      group by 1
    ) a on a.bucket = s.bucket
    order by s.bucket
  $q$, private.histogram_sum_sql('m.histogram')) using p_start, p_end, p_step;
end;
$$;

-- Client-side signals per step: react-query cache reads, realtime channels and canary lag.
create function private.client_steps(p_start timestamptz, p_end timestamptz, p_step interval)
returns table (bucket timestamptz, cache_hits bigint, cache_stale_hits bigint, cache_misses bigint, fetches bigint,
               channel_joins bigint, channel_rejoins bigint, channel_drops bigint, live_seconds double precision,
               lag_samples bigint, lag_histogram bigint[])
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query execute format($q$
    select s.bucket, coalesce(c.hits, 0), coalesce(c.stale_hits, 0), coalesce(c.misses, 0), coalesce(c.fetches, 0),
           coalesce(r.joins, 0), coalesce(r.rejoins, 0), coalesce(r.drops, 0), coalesce(r.live_seconds, 0),
           coalesce(r.lag_samples, 0), r.lag_histogram
    from generate_series($1, $2 - $3, $3) s (bucket)
    left join (
      select date_bin($3, m.minute, $1) as bucket, sum(m.hits)::bigint as hits, sum(m.stale_hits)::bigint as stale_hits,
             sum(m.misses)::bigint as misses, sum(m.fetches)::bigint as fetches
      from private.telemetry_cache_minutes m
      where m.minute >= $1 and m.minute < $2
      group by 1
    ) c on c.bucket = s.bucket
    left join (
      select date_bin($3, m.minute, $1) as bucket, sum(m.joins)::bigint as joins, sum(m.rejoins)::bigint as rejoins,
             sum(m.drops)::bigint as drops, sum(m.live_seconds) as live_seconds, sum(m.lag_samples)::bigint as lag_samples,
             %s as lag_histogram
      from private.telemetry_realtime_minutes m
      where m.minute >= $1 and m.minute < $2
      group by 1
    ) r on r.bucket = s.bucket
    order by s.bucket
  $q$, private.histogram_sum_sql('m.lag_histogram')) using p_start, p_end, p_step;
end;
$$;

-- Database health per step: ratios and counts from counter increases between samples (the
-- sample before the range gives the first one), gauges at their worst (connections, lock waits,
-- longest transaction, slot lag) or latest (size). A counter that went down was reset (statistics
-- reset, restart): its increase counts from zero, as Prometheus' increase() does. (Written out
-- per counter: a helper function per row costs more than the query.)
create function private.database_steps(p_start timestamptz, p_end timestamptz, p_step interval)
returns table (bucket timestamptz, samples integer, blks_hit bigint, blks_read bigint, heap_blks_hit bigint, heap_blks_read bigint,
               idx_blks_hit bigint, idx_blks_read bigint, commits bigint, rollbacks bigint, deadlocks bigint,
               connections integer, connections_active integer, connections_idle_in_transaction integer, max_connections integer,
               lock_waits integer, longest_transaction_seconds double precision, database_bytes bigint, replication_lag_bytes bigint)
language sql
stable
security definer
set search_path = ''
as $$
  with ordered as (
    select d.*,
           lag(d.blks_hit) over w as p_blks_hit,
           lag(d.blks_read) over w as p_blks_read,
           lag(d.heap_blks_hit) over w as p_heap_blks_hit,
           lag(d.heap_blks_read) over w as p_heap_blks_read,
           lag(d.idx_blks_hit) over w as p_idx_blks_hit,
           lag(d.idx_blks_read) over w as p_idx_blks_read,
           lag(d.xact_commit) over w as p_xact_commit,
           lag(d.xact_rollback) over w as p_xact_rollback,
           lag(d.deadlocks) over w as p_deadlocks
    from private.database_health_samples d
    where d.sampled_at >= p_start - interval '10 minutes' and d.sampled_at < p_end
    window w as (order by d.sampled_at)
  ), samples as (
    select o.*,
           case when o.p_blks_hit is null then null when o.blks_hit >= o.p_blks_hit then o.blks_hit - o.p_blks_hit else o.blks_hit end as d_blks_hit,
           case when o.p_blks_read is null then null when o.blks_read >= o.p_blks_read then o.blks_read - o.p_blks_read else o.blks_read end as d_blks_read,
           case when o.p_heap_blks_hit is null then null when o.heap_blks_hit >= o.p_heap_blks_hit then o.heap_blks_hit - o.p_heap_blks_hit else o.heap_blks_hit end as d_heap_blks_hit,
           case when o.p_heap_blks_read is null then null when o.heap_blks_read >= o.p_heap_blks_read then o.heap_blks_read - o.p_heap_blks_read else o.heap_blks_read end as d_heap_blks_read,
           case when o.p_idx_blks_hit is null then null when o.idx_blks_hit >= o.p_idx_blks_hit then o.idx_blks_hit - o.p_idx_blks_hit else o.idx_blks_hit end as d_idx_blks_hit,
           case when o.p_idx_blks_read is null then null when o.idx_blks_read >= o.p_idx_blks_read then o.idx_blks_read - o.p_idx_blks_read else o.idx_blks_read end as d_idx_blks_read,
           case when o.p_xact_commit is null then null when o.xact_commit >= o.p_xact_commit then o.xact_commit - o.p_xact_commit else o.xact_commit end as d_commits,
           case when o.p_xact_rollback is null then null when o.xact_rollback >= o.p_xact_rollback then o.xact_rollback - o.p_xact_rollback else o.xact_rollback end as d_rollbacks,
           case when o.p_deadlocks is null then null when o.deadlocks >= o.p_deadlocks then o.deadlocks - o.p_deadlocks else o.deadlocks end as d_deadlocks
    from ordered o
  ), steps as (
    select date_bin(p_step, s.sampled_at, p_start) as bucket,
           count(*)::integer as samples,
           sum(s.d_blks_hit)::bigint as blks_hit, sum(s.d_blks_read)::bigint as blks_read,
           sum(s.d_heap_blks_hit)::bigint as heap_blks_hit, sum(s.d_heap_blks_read)::bigint as heap_blks_read,
           sum(s.d_idx_blks_hit)::bigint as idx_blks_hit, sum(s.d_idx_blks_read)::bigint as idx_blks_read,
           sum(s.d_commits)::bigint as commits, sum(s.d_rollbacks)::bigint as rollbacks, sum(s.d_deadlocks)::bigint as deadlocks,
           max(s.connections) as connections, max(s.connections_active) as connections_active,
           max(s.connections_idle_in_transaction) as connections_idle_in_transaction, max(s.max_connections) as max_connections,
           max(s.lock_waits) as lock_waits, max(s.longest_transaction_seconds) as longest_transaction_seconds,
           (array_agg(s.database_bytes order by s.sampled_at desc))[1] as database_bytes,
           max(s.replication_lag_bytes) as replication_lag_bytes
    from samples s
    where s.sampled_at >= p_start
    group by 1
  )
  select g.bucket, coalesce(st.samples, 0), st.blks_hit, st.blks_read, st.heap_blks_hit, st.heap_blks_read, st.idx_blks_hit,
         st.idx_blks_read, st.commits, st.rollbacks, st.deadlocks, st.connections, st.connections_active,
         st.connections_idle_in_transaction, st.max_connections, st.lock_waits, st.longest_transaction_seconds,
         st.database_bytes, st.replication_lag_bytes
  from generate_series(p_start, p_end - p_step, p_step) g (bucket)
  left join steps st on st.bucket = g.bucket
  order by g.bucket
$$;

create function private.ratio(p_part numeric, p_whole numeric) returns double precision
language sql
immutable
security definer
set search_path = ''
as $$
  select case when p_whole > 0 then (p_part / p_whole)::double precision end
$$;

-- The health model: per component, its weight and the anchors of its score (xs ascending, the
-- score at each). Degraded below 0.8, failing below 0.5.
create function private.health_model()
returns table (component text, label text, weight integer, measure text, unit text, xs double precision[], ys double precision[], source text)
language sql
immutable
security definer
set search_path = ''
as $$
  values
    ('latency', 'Latency', 30, 'Apdex of API calls, T = 256 ms (satisfied under T, tolerating under 4T)', 'ratio',
      array[0.50, 0.70, 0.85, 0.94]::double precision[], array[0, 0.5, 0.8, 1]::double precision[],
      'Apdex ratings: 0.94 excellent, 0.85 good, 0.70 fair, below 0.50 unacceptable'),
    ('errors', 'Errors', 25, 'Share of API calls that failed: 5xx, no response, or a 4xx the app does not expect', 'ratio',
      array[0.001, 0.01, 0.05, 0.20]::double precision[], array[1, 0.8, 0.5, 0]::double precision[],
      'A 99.9 % success objective: 0.1 % of calls may fail'),
    ('cache', 'Cache', 20, 'Database buffer cache hit ratio (blocks hit / blocks read or hit, over the window)', 'ratio',
      array[0.80, 0.95, 0.98, 0.99]::double precision[], array[0, 0.5, 0.8, 1]::double precision[],
      'Target 99 %, alert under 98 %: an OLTP database should find nearly every block in memory'),
    ('lag', 'Realtime lag', 15, 'p95 of the realtime canary''s delay, database commit to browser, on the server''s clock', 'ms',
      array[100, 1000, 10000, 30000]::double precision[], array[1, 0.8, 0.5, 0]::double precision[],
      'Response time limits: 0.1 s feels instant, 1 s keeps the flow, 10 s loses attention'),
    ('saturation', 'Saturation', 10, 'Client connections / max_connections, at the busiest sample', 'ratio',
      array[0.60, 0.80, 0.90, 1.00]::double precision[], array[1, 0.8, 0.5, 0]::double precision[],
      'Keep connections under 80 % of max_connections; at 100 % new clients are refused')
$$;

-- Linear between anchors, flat outside them.
create function private.piecewise_linear(p_x double precision, p_xs double precision[], p_ys double precision[]) returns double precision
language plpgsql
immutable
security definer
set search_path = ''
as $$
declare
  n integer := cardinality(p_xs);
begin
  if p_x is null then
    return null;
  elsif p_x <= p_xs[1] then
    return p_ys[1];
  elsif p_x >= p_xs[n] then
    return p_ys[n];
  end if;
  for i in 2..n loop
    if p_x <= p_xs[i] then
      return p_ys[i - 1] + (p_ys[i] - p_ys[i - 1]) * (p_x - p_xs[i - 1]) / (p_xs[i] - p_xs[i - 1]);
    end if;
  end loop;
  return p_ys[n];
end;
$$;

create function private.health_band(p_score double precision) returns text
language sql
immutable
security definer
set search_path = ''
as $$
  select case when p_score is null then null when p_score >= 0.8 then 'healthy' when p_score >= 0.5 then 'degraded' else 'failing' end
$$;

-- The score of one set of measurements (null measurements leave their component out).
create function private.health_score(
  p_apdex double precision, p_error_rate double precision, p_cache_hit double precision,
  p_lag_p95_ms double precision, p_saturation double precision
)
returns table (score double precision, band text, capped boolean, latency double precision, errors double precision,
               cache double precision, lag double precision, saturation double precision)
language sql
immutable
security definer
set search_path = ''
as $$
  with components as (
    select m.component, m.weight, private.piecewise_linear(v.value, m.xs, m.ys) as s
    from private.health_model() m
    join (values ('latency', p_apdex), ('errors', p_error_rate), ('cache', p_cache_hit), ('lag', p_lag_p95_ms), ('saturation', p_saturation))
      v (component, value) on v.component = m.component
  ), total as (
    select 100 * sum(weight * s) / nullif(sum(weight) filter (where s is not null), 0) as raw,
           coalesce(bool_or(s < 0.5), false) as any_failing
    from components
  )
  select case when t.any_failing then least(t.raw, 49) else t.raw end,
         private.health_band(case when t.any_failing then least(t.raw, 49) else t.raw end / 100),
         t.any_failing and t.raw > 49,
         (select s from components where component = 'latency'), (select s from components where component = 'errors'),
         (select s from components where component = 'cache'), (select s from components where component = 'lag'),
         (select s from components where component = 'saturation')
  from total t
$$;

-- Health per step over [p_start, p_end): the measurements, each component's score, the score.
create function private.health_steps(p_start timestamptz, p_end timestamptz, p_step interval)
returns table (bucket timestamptz, score double precision, band text, capped boolean, requests bigint,
               apdex double precision, latency_score double precision, error_rate double precision, errors_score double precision,
               cache_hit_ratio double precision, cache_score double precision, lag_p95_ms double precision, lag_score double precision,
               saturation double precision, saturation_score double precision)
language sql
stable
security definer
set search_path = ''
as $$
  select a.bucket, h.score, h.band, h.capped, a.requests,
         m.apdex, h.latency, m.error_rate, h.errors, m.cache_hit, h.cache, m.lag_p95, h.lag, m.saturation, h.saturation
  from private.api_steps(p_start, p_end, p_step) a
  join private.client_steps(p_start, p_end, p_step) c on c.bucket = a.bucket
  join private.database_steps(p_start, p_end, p_step) d on d.bucket = a.bucket
  cross join lateral (
    select private.histogram_apdex(a.histogram) as apdex,
           private.ratio(a.errors, a.requests) as error_rate,
           private.ratio(d.blks_hit, d.blks_hit + d.blks_read) as cache_hit,
           private.histogram_quantile(c.lag_histogram, 0.95) as lag_p95,
           private.ratio(d.connections, d.max_connections) as saturation
  ) m
  cross join lateral private.health_score(m.apdex, m.error_rate, m.cache_hit, m.lag_p95, m.saturation) h
  order by a.bucket
$$;

-- Seconds of a step that have elapsed (all of it, but for the step holding now).
create function private.elapsed_seconds(p_bucket timestamptz, p_step interval) returns double precision
language sql
stable
security definer
set search_path = ''
as $$
  select greatest(1, least(extract(epoch from p_step), extract(epoch from now() - p_bucket)))::double precision
$$;

create function public.admin_health_model()
returns table (component text, label text, weight integer, measure text, unit text, xs double precision[], ys double precision[], source text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  return query select * from private.health_model();
end;
$$;

create function public.admin_health(range_seconds integer default 300, step_seconds integer default 300)
returns table (bucket timestamptz, score double precision, band text, capped boolean, requests bigint,
               apdex double precision, latency_score double precision, error_rate double precision, errors_score double precision,
               cache_hit_ratio double precision, cache_score double precision, lag_p95_ms double precision, lag_score double precision,
               saturation double precision, saturation_score double precision)
language sql
stable
security definer
set search_path = ''
as $$
  select h.* from private.monitoring_window(range_seconds, step_seconds) w, private.health_steps(w.range_start, w.range_end, w.step) h
$$;

create function public.admin_api_series(range_seconds integer default 3600, step_seconds integer default 60)
returns table (bucket timestamptz, seconds double precision, requests bigint, errors bigint, rejections bigint, replays bigint,
               p50_ms double precision, p95_ms double precision, p99_ms double precision, mean_ms double precision, apdex double precision)
language sql
stable
security definer
set search_path = ''
as $$
  select a.bucket, private.elapsed_seconds(a.bucket, w.step), a.requests, a.errors, a.rejections, a.replays,
         private.histogram_quantile(a.histogram, 0.50), private.histogram_quantile(a.histogram, 0.95),
         private.histogram_quantile(a.histogram, 0.99), a.duration_ms_sum / nullif(a.requests, 0),
         private.histogram_apdex(a.histogram)
  from private.monitoring_window(range_seconds, step_seconds) w, private.api_steps(w.range_start, w.range_end, w.step) a
$$;

create function public.admin_client_series(range_seconds integer default 3600, step_seconds integer default 60)
returns table (bucket timestamptz, seconds double precision, cache_hits bigint, cache_stale_hits bigint, cache_misses bigint,
               fetches bigint, client_hit_ratio double precision, channel_joins bigint, channel_rejoins bigint, channel_drops bigint,
               live_channels double precision, lag_samples bigint, lag_p50_ms double precision, lag_p95_ms double precision,
               lag_p99_ms double precision)
language sql
stable
security definer
set search_path = ''
as $$
  select c.bucket, private.elapsed_seconds(c.bucket, w.step), c.cache_hits, c.cache_stale_hits, c.cache_misses, c.fetches,
         private.ratio(c.cache_hits + c.cache_stale_hits, c.cache_hits + c.cache_stale_hits + c.cache_misses),
         c.channel_joins, c.channel_rejoins, c.channel_drops, c.live_seconds / private.elapsed_seconds(c.bucket, w.step),
         c.lag_samples, private.histogram_quantile(c.lag_histogram, 0.50), private.histogram_quantile(c.lag_histogram, 0.95),
         private.histogram_quantile(c.lag_histogram, 0.99)
  from private.monitoring_window(range_seconds, step_seconds) w, private.client_steps(w.range_start, w.range_end, w.step) c
$$;

create function public.admin_database_series(range_seconds integer default 3600, step_seconds integer default 60)
returns table (bucket timestamptz, seconds double precision, cache_hit_ratio double precision, table_hit_ratio double precision,
               index_hit_ratio double precision, transactions bigint, rollback_ratio double precision, deadlocks bigint,
               connections integer, connections_active integer, connections_idle_in_transaction integer, max_connections integer,
               lock_waits integer, longest_transaction_seconds double precision, database_bytes bigint, replication_lag_bytes bigint)
language sql
stable
security definer
set search_path = ''
as $$
  select d.bucket, private.elapsed_seconds(d.bucket, w.step),
         private.ratio(d.blks_hit, d.blks_hit + d.blks_read), private.ratio(d.heap_blks_hit, d.heap_blks_hit + d.heap_blks_read),
         private.ratio(d.idx_blks_hit, d.idx_blks_hit + d.idx_blks_read), d.commits + d.rollbacks,
         private.ratio(d.rollbacks, d.commits + d.rollbacks), d.deadlocks, d.connections, d.connections_active,
         d.connections_idle_in_transaction, d.max_connections, d.lock_waits, d.longest_transaction_seconds,
         d.database_bytes, d.replication_lag_bytes
  from private.monitoring_window(range_seconds, step_seconds) w, private.database_steps(w.range_start, w.range_end, w.step) d
$$;

create function public.admin_domain_series(range_seconds integer default 3600, step_seconds integer default 60)
returns table (bucket timestamptz, seconds double precision, reservations bigint, checkouts bigint, expiries bigint, releases bigint,
               insufficient_stock bigint, version_conflict bigint, rate_limited bigint, idempotency_key_reused bigint, replays bigint,
               active_reservations integer, units_held bigint, low_stock_items integer, out_of_stock_items integer, drift_rows integer)
language sql
stable
security definer
set search_path = ''
as $$
  with w as (
    select * from private.monitoring_window(range_seconds, step_seconds)
  ), ledger as (
    select date_bin(w.step, m.created_at, w.range_start) as bucket,
           count(*) filter (where m.kind = 'reservation') as reservations,
           count(distinct m.reference) filter (where m.kind = 'sale') as checkouts,
           count(*) filter (where m.kind = 'expiry') as expiries,
           count(*) filter (where m.kind = 'release') as releases
    from w, public.stock_movements m
    where m.created_at >= w.range_start and m.created_at < w.range_end
    group by 1
  ), rejections as (
    select date_bin(w.step, m.at, w.range_start) as bucket,
           sum(m.requests) filter (where m.code = 'insufficient_stock')::bigint as insufficient_stock,
           sum(m.requests) filter (where m.code = 'version_conflict')::bigint as version_conflict,
           sum(m.requests) filter (where m.code = 'rate_limited')::bigint as rate_limited,
           sum(m.requests) filter (where m.code = 'idempotency_key_reused')::bigint as idempotency_key_reused,
           sum(m.replays)::bigint as replays
    from w, private.api_rows(w.range_start, w.range_end, extract(epoch from w.step)::integer % 3600 = 0) m
    group by 1
  )
  select g.bucket, private.elapsed_seconds(g.bucket, w.step),
         coalesce(l.reservations, 0), coalesce(l.checkouts, 0), coalesce(l.expiries, 0), coalesce(l.releases, 0),
         coalesce(t.insufficient_stock, 0), coalesce(t.version_conflict, 0), coalesce(t.rate_limited, 0),
         coalesce(t.idempotency_key_reused, 0), coalesce(t.replays, 0),
         d.active_reservations, d.units_held, d.low_stock_items, d.out_of_stock_items, d.drift_rows
  from w
  cross join lateral generate_series(w.range_start, w.range_end - w.step, w.step) g (bucket)
  left join ledger l on l.bucket = g.bucket
  left join rejections t on t.bucket = g.bucket
  -- Gauges sampled once a minute: the latest sample by the end of the step, if recent.
  left join lateral (
    select s.* from private.domain_samples s
    where s.sampled_at >= g.bucket - interval '2 minutes' and s.sampled_at < g.bucket + w.step
    order by s.sampled_at desc limit 1
  ) d on true
  order by g.bucket
$$;

-- Per operation over the whole range, slowest (p95) first.
create function public.admin_operations(range_seconds integer default 3600)
returns table (operation text, method text, requests bigint, errors bigint, rejections bigint,
               p50_ms double precision, p95_ms double precision, p99_ms double precision, mean_ms double precision)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  w record;
begin
  w := private.monitoring_window(range_seconds, range_seconds - range_seconds % 60);
  return query execute format($q$
    select o.operation, o.method, o.requests, o.errors, o.rejections,
           private.histogram_quantile(o.histogram, 0.50), private.histogram_quantile(o.histogram, 0.95),
           private.histogram_quantile(o.histogram, 0.99), o.duration_ms_sum / o.requests
    from (
      select m.operation, m.method, sum(m.requests)::bigint as requests,
             coalesce(sum(m.requests) filter (where m.outcome = 'error'), 0)::bigint as errors,
             coalesce(sum(m.requests) filter (where m.outcome = 'rejected'), 0)::bigint as rejections,
             sum(m.duration_ms_sum) as duration_ms_sum, %s as histogram
      from private.api_rows($1, $2, true) m
      group by m.operation, m.method
    ) o
    order by 7 desc nulls last, o.requests desc, o.operation, o.method
    limit 100
  $q$, private.histogram_sum_sql('m.histogram')) using w.range_start, w.range_end;
end;
$$;

-- Per vendor over the whole range: API traffic attributed to the vendor, and its ledger.
create function public.admin_vendors(range_seconds integer default 3600)
returns table (vendor_id uuid, vendor_name text, requests bigint, errors bigint, error_rate double precision,
               p95_ms double precision, reservations bigint, checkouts bigint)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  w record;
begin
  w := private.monitoring_window(range_seconds, range_seconds - range_seconds % 60);
  return query execute format($q$
    select v.id, v.name, coalesce(t.requests, 0), coalesce(t.errors, 0), private.ratio(t.errors, t.requests),
           private.histogram_quantile(t.histogram, 0.95), coalesce(l.reservations, 0), coalesce(l.checkouts, 0)
    from public.vendors v
    left join (
      select m.vendor_id, sum(m.requests)::bigint as requests,
             coalesce(sum(m.requests) filter (where m.outcome = 'error'), 0)::bigint as errors, %s as histogram
      from private.api_rows($1, $2, true) m
      where m.vendor_id is not null
      group by m.vendor_id
    ) t on t.vendor_id = v.id
    left join (
      select s.vendor_id, count(*) filter (where s.kind = 'reservation') as reservations,
             count(distinct s.reference) filter (where s.kind = 'sale') as checkouts
      from public.stock_movements s
      where s.created_at >= $1 and s.created_at < $2
      group by s.vendor_id
    ) l on l.vendor_id = v.id
    where t.vendor_id is not null or l.vendor_id is not null
    order by coalesce(t.requests, 0) desc, v.name, v.id
    limit 200
  $q$, private.histogram_sum_sql('m.histogram')) using w.range_start, w.range_end;
end;
$$;

create function public.admin_recent_errors(max_rows integer default 50)
returns table (occurred_at timestamptz, operation text, method text, status smallint, code text, outcome text,
               vendor_id uuid, vendor_name text, request_id text, duration_ms real, anon boolean)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  if max_rows is null or max_rows not between 1 and 500 then
    perform private.raise_error('invalid_argument', 400, 'max_rows must be between 1 and 500', format('max_rows is %s', coalesce(max_rows::text, 'null')));
  end if;
  return query
    select e.occurred_at, e.operation, e.method, e.status, e.code, e.outcome, e.vendor_id, v.name, e.request_id, e.duration_ms, e.anon
    from private.telemetry_errors e
    left join public.vendors v on v.id = e.vendor_id
    order by e.occurred_at desc, e.id desc
    limit max_rows;
end;
$$;

-- The statements with the most total execution time since pg_stat_statements was last reset.
-- 503 statements_unavailable when the extension is not installed or not preloaded.
create function public.admin_top_statements(max_rows integer default 20)
returns table (query text, calls bigint, total_ms double precision, mean_ms double precision, rows bigint,
               share double precision, since timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_schema text;
begin
  perform private.require_admin();
  if max_rows is null or max_rows not between 1 and 100 then
    perform private.raise_error('invalid_argument', 400, 'max_rows must be between 1 and 100', format('max_rows is %s', coalesce(max_rows::text, 'null')));
  end if;
  select n.nspname into v_schema from pg_catalog.pg_extension e join pg_catalog.pg_namespace n on n.oid = e.extnamespace
  where e.extname = 'pg_stat_statements';
  if v_schema is null then
    perform private.raise_error('statements_unavailable', 503, 'pg_stat_statements is not installed',
      'the extension pg_stat_statements does not exist in this database', 'create extension pg_stat_statements with schema extensions');
  end if;
  begin
    return query execute format($q$
      with s as (
        select st.query, st.calls, st.total_exec_time, st.rows
        from %1$I.pg_stat_statements st
        where st.dbid = (select oid from pg_catalog.pg_database where datname = current_database())
      )
      select left(s.query, 2000), s.calls, s.total_exec_time, s.total_exec_time / nullif(s.calls, 0), s.rows,
             s.total_exec_time / nullif(sum(s.total_exec_time) over (), 0), (select i.stats_reset from %1$I.pg_stat_statements_info i)
      from s
      order by s.total_exec_time desc
      limit $1
    $q$, v_schema) using max_rows;
  exception when object_not_in_prerequisite_state then
    perform private.raise_error('statements_unavailable', 503, 'pg_stat_statements is not loaded',
      'pg_stat_statements must be in shared_preload_libraries', 'Add pg_stat_statements to shared_preload_libraries and restart Postgres.');
  end;
end;
$$;

-- The alert rules over the last 5 minutes (ledger drift and deadlocks over 15), with their
-- thresholds, values and whether they fire. Health-model rules fire at the component's bands.
create function public.admin_alerts()
returns table (rule text, title text, condition text, severity text, value double precision, unit text, firing boolean)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  h record;
  d record;
  v_drift integer;
  v_deadlocks bigint;
begin
  perform private.require_admin();
  select * into h from private.health_steps(date_trunc('minute', now()) - interval '4 minutes', date_trunc('minute', now()) + interval '1 minute', interval '5 minutes');
  select max(s.connections)::double precision / nullif(max(s.max_connections), 0) as saturation, max(s.lock_waits) as lock_waits,
         max(s.longest_transaction_seconds) as longest, max(s.replication_lag_bytes) as slot_lag
    into d
  from private.database_health_samples s where s.sampled_at > now() - interval '5 minutes';
  select sum(x.deadlocks) into v_deadlocks
  from private.database_steps(date_trunc('minute', now()) - interval '14 minutes', date_trunc('minute', now()) + interval '1 minute', interval '15 minutes') x;
  select s.drift_rows into v_drift from private.domain_samples s order by s.sampled_at desc limit 1;

  return query
    select r.rule, r.title, r.condition, case when r.critical then 'critical' when r.warning then 'warning' end, r.value, r.unit,
           coalesce(r.warning or r.critical, false)
    from (values
      ('latency', 'API latency', 'Apdex (T = 256 ms) under 0.85 warns, under 0.70 is critical', h.apdex, 'apdex', h.apdex < 0.85, h.apdex < 0.70),
      ('errors', 'API errors', 'Failed calls over 1 % warn, over 5 % are critical', h.error_rate, 'ratio', h.error_rate > 0.01, h.error_rate > 0.05),
      ('cache', 'Database cache', 'Buffer cache hit ratio under 98 % warns, under 95 % is critical', h.cache_hit_ratio, 'ratio', h.cache_hit_ratio < 0.98, h.cache_hit_ratio < 0.95),
      ('lag', 'Realtime lag', 'Canary p95 over 1 s warns, over 10 s is critical', h.lag_p95_ms, 'ms', h.lag_p95_ms > 1000, h.lag_p95_ms > 10000),
      ('connections', 'Connections', 'Over 80 % of max_connections warns, over 90 % is critical', d.saturation, 'ratio', d.saturation > 0.8, d.saturation > 0.9),
      ('replication', 'Replication slot lag', 'A logical slot over 64 MiB behind warns, over 1 GiB is critical', d.slot_lag::double precision, 'bytes', d.slot_lag > 64 * 1024 * 1024, d.slot_lag > 1024 * 1024 * 1024),
      ('long_transaction', 'Long transaction', 'A transaction open over 60 s warns, over 5 min is critical', d.longest, 'seconds', d.longest > 60, d.longest > 300),
      ('lock_waits', 'Lock waits', '5 or more sessions waiting on locks warn, 20 are critical', d.lock_waits::double precision, 'sessions', d.lock_waits >= 5, d.lock_waits >= 20),
      ('deadlocks', 'Deadlocks', 'Any deadlock in the last 15 minutes warns', v_deadlocks::double precision, 'count', v_deadlocks > 0, false),
      ('drift', 'Ledger drift', 'Any stock level that disagrees with its ledger is critical', v_drift::double precision, 'rows', false, v_drift > 0)
    ) r (rule, title, condition, value, unit, warning, critical);
end;
$$;

-- The database's clock in ms since the epoch, for the browser's NTP-style offset estimate.
create function public.admin_clock() returns double precision
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform private.require_admin();
  return extract(epoch from clock_timestamp()) * 1000;
end;
$$;

revoke all on function private.require_admin() from public;
revoke all on function private.monitoring_window(integer, integer) from public;
revoke all on function private.api_rows(timestamptz, timestamptz, boolean) from public;
revoke all on function private.api_steps(timestamptz, timestamptz, interval) from public;
revoke all on function private.client_steps(timestamptz, timestamptz, interval) from public;
revoke all on function private.database_steps(timestamptz, timestamptz, interval) from public;
revoke all on function private.ratio(numeric, numeric) from public;
revoke all on function private.health_model() from public;
revoke all on function private.piecewise_linear(double precision, double precision[], double precision[]) from public;
revoke all on function private.health_band(double precision) from public;
revoke all on function private.health_score(double precision, double precision, double precision, double precision, double precision) from public;
revoke all on function private.health_steps(timestamptz, timestamptz, interval) from public;
revoke all on function private.elapsed_seconds(timestamptz, interval) from public;

do $$
declare
  f text;
begin
  foreach f in array array[
    'admin_health_model()', 'admin_health(integer, integer)', 'admin_api_series(integer, integer)',
    'admin_client_series(integer, integer)', 'admin_database_series(integer, integer)', 'admin_domain_series(integer, integer)',
    'admin_operations(integer)', 'admin_vendors(integer)', 'admin_recent_errors(integer)', 'admin_top_statements(integer)',
    'admin_alerts()', 'admin_clock()'
  ] loop
    execute format('revoke all on function public.%s from public, anon, authenticated, service_role', f);
    execute format('grant execute on function public.%s to authenticated, service_role', f);
  end loop;
end;
$$;
