-- Keeps telemetry bounded, run every minute by the maintenance job:
--   compaction  rows of the same key in the last 15 minutes become one (counts and histograms
--               add up, so nothing changes but the row count); later arrivals stay as extra rows,
--               which every reader merges anyway (private.compact_rollups, for each table)
--   hours       calls of each hour that ended over 65 minutes ago (no call can still be reported
--               for it: events are at most an hour old) are rolled up into telemetry_api_hours,
--               and telemetry_state.hours_rolled_until moves past it
--   retention   per-minute rollups and database/domain samples for 48 hours, hourly rollups for
--               30 days, failed calls for 48 hours and at most 10,000 of them
--               (private.telemetry_settings)
-- Returns the number of rows deleted by retention.

-- Merges the rows of each key of a per-minute rollup table in [p_from, p_until) into one: the key
-- columns, the summed columns, the histogram added bucket by bucket. Rows inserted meanwhile are
-- not seen by the delete and stay, as extra rows of their key.
create function private.compact_rollups(p_table text, p_keys text[], p_sums text[], p_histogram text, p_from timestamptz, p_until timestamptz) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_keys text := (select string_agg(format('%I', k), ', ') from unnest(p_keys) k);
  v_match text := (select string_agg(format('m.%1$I is not distinct from d.%1$I', k), ' and ') from unnest(p_keys) k);
  v_columns text := v_keys || ', ' || (select string_agg(format('%I', c), ', ') from unnest(p_sums) c)
    || case when p_histogram is not null then format(', %I', p_histogram) else '' end;
  v_values text := (select string_agg(format('m.%I', k), ', ') from unnest(p_keys) k) || ', '
    || (select string_agg(format('sum(m.%I)', c), ', ') from unnest(p_sums) c)
    || case when p_histogram is not null then ', ' || private.histogram_sum_sql(format('m.%I', p_histogram)) || '::integer[]' else '' end;
begin
  execute format($q$
    with dup as (
      select %2$s from private.%1$I where minute >= $1 and minute < $2 group by %2$s having count(*) > 1
    ), moved as (
      delete from private.%1$I m using dup d where %3$s returning m.*
    )
    insert into private.%1$I (%4$s)
    select %5$s from moved m group by %6$s
  $q$, p_table, v_keys, v_match, v_columns, v_values, (select string_agg(format('m.%I', k), ', ') from unnest(p_keys) k))
  using p_from, p_until;
end;
$$;

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
  v_table text;
  v_column text;
  v_keep interval;
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

  perform private.compact_rollups('telemetry_api_minutes', array['minute', 'operation', 'method', 'status', 'code', 'outcome', 'vendor_id', 'anon'],
    array['requests', 'replays', 'duration_ms_sum'], 'histogram', v_from, v_until);
  perform private.compact_rollups('telemetry_cache_minutes', array['minute', 'query_key', 'anon'],
    array['hits', 'stale_hits', 'misses', 'fetches'], null, v_from, v_until);
  perform private.compact_rollups('telemetry_realtime_minutes', array['minute', 'channel', 'anon'],
    array['joins', 'rejoins', 'drops', 'live_seconds', 'lag_samples', 'lag_ms_sum'], 'lag_histogram', v_from, v_until);

  for v_table, v_column, v_keep in
    values ('telemetry_api_minutes', 'minute', v_settings.minute_retention), ('telemetry_api_hours', 'hour', v_settings.hour_retention),
           ('telemetry_cache_minutes', 'minute', v_settings.minute_retention), ('telemetry_realtime_minutes', 'minute', v_settings.minute_retention),
           ('telemetry_errors', 'occurred_at', v_settings.error_retention), ('database_health_samples', 'sampled_at', v_settings.sample_retention),
           ('domain_samples', 'sampled_at', v_settings.sample_retention)
  loop
    execute format('delete from private.%I where %I < now() - $1', v_table, v_column) using v_keep;
    get diagnostics v_count = row_count;
    v_deleted := v_deleted + v_count;
  end loop;
  delete from private.telemetry_errors
  where id <= (select e.id from private.telemetry_errors e order by e.id desc offset v_settings.max_errors limit 1);
  get diagnostics v_count = row_count;
  return v_deleted + v_count;
end;
$$;

revoke all on function private.compact_rollups(text, text[], text[], text, timestamptz, timestamptz) from public;
revoke all on function public.maintain_telemetry() from public, anon, authenticated, service_role;
grant execute on function public.maintain_telemetry() to service_role;
