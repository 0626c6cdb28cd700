-- Keeps telemetry bounded, run every minute by the maintenance job:
--   compaction  rows of the same key in the last 15 minutes become one (counts and histograms
--               add up, so nothing changes but the row count); later arrivals stay as extra rows,
--               which every reader merges anyway
--   hours       calls of each hour that ended over 65 minutes ago (no call can still be reported
--               for it: events are at most an hour old) are rolled up into telemetry_api_hours,
--               and telemetry_state.hours_rolled_until moves past it
--   retention   per-minute rollups and database/domain samples for 48 hours, hourly rollups for
--               30 days, failed calls for 48 hours and at most 10,000 of them
--               (private.telemetry_settings)
-- Returns the number of rows deleted by retention.

create function public.maintain_telemetry() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_settings private.telemetry_settings;
  v_until timestamptz := date_trunc('minute', now());
  v_from timestamptz := date_trunc('minute', now()) - interval '15 minutes';
  v_deleted integer := 0;
  v_count integer;
  v_hour timestamptz;
  v_rolled integer := 0;
begin
  select * into v_settings from private.telemetry_settings;

  -- Hours first, from the rows as they are (compaction does not change what an hour adds up to).
  select coalesce(s.hours_rolled_until, (select date_trunc('hour', min(minute)) from private.telemetry_api_minutes), date_trunc('hour', now()))
    into v_hour from private.telemetry_state s for update;
  -- Minutes older than the retention are gone: nothing to roll up before them.
  v_hour := greatest(v_hour, date_trunc('hour', now() - v_settings.minute_retention));
  while v_hour <= now() - interval '2 hours 5 minutes' and v_rolled < 48 loop
    execute format($q$
      insert into private.telemetry_api_hours (hour, operation, method, status, code, outcome, vendor_id, anon, requests, replays, duration_ms_sum, histogram)
      select $1, m.operation, m.method, m.status, m.code, min(m.outcome), m.vendor_id, m.anon, sum(m.requests), sum(m.replays),
             sum(m.duration_ms_sum), %s::integer[]
      from private.telemetry_api_minutes m
      where m.minute >= $1 and m.minute < $1 + interval '1 hour'
      group by m.operation, m.method, m.status, m.code, m.vendor_id, m.anon
    $q$, private.histogram_sum_sql('m.histogram')) using v_hour;
    v_hour := v_hour + interval '1 hour';
    v_rolled := v_rolled + 1;
  end loop;
  update private.telemetry_state set hours_rolled_until = v_hour;

  execute format($q$
    with dup as (
      select minute, operation, method, status, code, vendor_id, anon from private.telemetry_api_minutes
      where minute >= $1 and minute < $2
      group by minute, operation, method, status, code, vendor_id, anon having count(*) > 1
    ), moved as (
      delete from private.telemetry_api_minutes m using dup d
      where m.minute = d.minute and m.operation = d.operation and m.method = d.method and m.status = d.status
        and m.code is not distinct from d.code and m.vendor_id is not distinct from d.vendor_id and m.anon = d.anon
      returning m.*
    )
    insert into private.telemetry_api_minutes (minute, operation, method, status, code, outcome, vendor_id, anon, requests, replays, duration_ms_sum, histogram)
    select m.minute, m.operation, m.method, m.status, m.code, min(m.outcome), m.vendor_id, m.anon, sum(m.requests), sum(m.replays),
           sum(m.duration_ms_sum), %s::integer[]
    from moved m
    group by m.minute, m.operation, m.method, m.status, m.code, m.vendor_id, m.anon
  $q$, private.histogram_sum_sql('m.histogram')) using v_from, v_until;

  with dup as (
    select minute, query_key, anon from private.telemetry_cache_minutes
    where minute >= v_from and minute < v_until
    group by minute, query_key, anon having count(*) > 1
  ), moved as (
    delete from private.telemetry_cache_minutes m using dup d
    where m.minute = d.minute and m.query_key = d.query_key and m.anon = d.anon
    returning m.*
  )
  insert into private.telemetry_cache_minutes (minute, query_key, anon, hits, stale_hits, misses, fetches)
  select m.minute, m.query_key, m.anon, sum(m.hits), sum(m.stale_hits), sum(m.misses), sum(m.fetches)
  from moved m
  group by m.minute, m.query_key, m.anon;

  execute format($q$
    with dup as (
      select minute, channel, anon from private.telemetry_realtime_minutes
      where minute >= $1 and minute < $2
      group by minute, channel, anon having count(*) > 1
    ), moved as (
      delete from private.telemetry_realtime_minutes m using dup d
      where m.minute = d.minute and m.channel = d.channel and m.anon = d.anon
      returning m.*
    )
    insert into private.telemetry_realtime_minutes (minute, channel, anon, joins, rejoins, drops, live_seconds, lag_samples, lag_ms_sum, lag_histogram)
    select m.minute, m.channel, m.anon, sum(m.joins), sum(m.rejoins), sum(m.drops), sum(m.live_seconds), sum(m.lag_samples),
           sum(m.lag_ms_sum), %s::integer[]
    from moved m
    group by m.minute, m.channel, m.anon
  $q$, private.histogram_sum_sql('m.lag_histogram')) using v_from, v_until;

  delete from private.telemetry_api_minutes where minute < now() - v_settings.minute_retention;
  get diagnostics v_count = row_count;
  v_deleted := v_deleted + v_count;
  delete from private.telemetry_api_hours where hour < now() - v_settings.hour_retention;
  get diagnostics v_count = row_count;
  v_deleted := v_deleted + v_count;
  delete from private.telemetry_cache_minutes where minute < now() - v_settings.minute_retention;
  get diagnostics v_count = row_count;
  v_deleted := v_deleted + v_count;
  delete from private.telemetry_realtime_minutes where minute < now() - v_settings.minute_retention;
  get diagnostics v_count = row_count;
  v_deleted := v_deleted + v_count;
  delete from private.telemetry_errors
  where occurred_at < now() - v_settings.error_retention
     or id <= (select e.id from private.telemetry_errors e order by e.id desc offset v_settings.max_errors limit 1);
  get diagnostics v_count = row_count;
  v_deleted := v_deleted + v_count;
  delete from private.database_health_samples where sampled_at < now() - v_settings.sample_retention;
  get diagnostics v_count = row_count;
  v_deleted := v_deleted + v_count;
  delete from private.domain_samples where sampled_at < now() - v_settings.sample_retention;
  get diagnostics v_count = row_count;
  return v_deleted + v_count;
end;
$$;

revoke all on function public.maintain_telemetry() from public, anon, authenticated, service_role;
grant execute on function public.maintain_telemetry() to service_role;
