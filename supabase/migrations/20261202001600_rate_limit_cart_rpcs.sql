-- The shopper's new stock RPCs count against the same per-user limit as the others. Unchanged but
-- for the list of limited paths.

create or replace function private.check_rate_limit() returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_settings private.rate_limit_settings;
  v_now timestamptz := clock_timestamp();
  v_increment interval;
  v_period interval;
  v_tat timestamptz;
  v_retry_after integer;
begin
  if current_setting('request.method', true) is distinct from 'POST' or v_uid is null
     or coalesce(current_setting('request.path', true), '') !~ '/rpc/(reserve_stock|release_reservation|checkout|adjust_stock|set_stock|extend_reservation|set_reservation_quantity)$' then
    return;
  end if;
  select * into v_settings from private.rate_limit_settings;
  v_period := make_interval(secs => v_settings.period_seconds);
  v_increment := v_period / v_settings.max_requests;

  insert into private.rate_limits (caller, tat) values (v_uid::text, v_now) on conflict (caller) do nothing;
  select greatest(tat, v_now) into v_tat from private.rate_limits where caller = v_uid::text for update;
  if v_tat + v_increment - v_period > v_now then
    v_retry_after := greatest(1, ceil(extract(epoch from (v_tat + v_increment - v_period - v_now)))::integer);
    perform private.raise_error('rate_limited', 429, 'Too many requests',
      format('at most %s stock changes per %s seconds', v_settings.max_requests, v_settings.period_seconds),
      format('Retry after %s seconds.', v_retry_after),
      jsonb_build_object('Retry-After', v_retry_after::text));
  end if;
  update private.rate_limits set tat = v_tat + v_increment where caller = v_uid::text;
end;
$$;
