-- Rate limiting of the mutating RPCs per user, in PostgREST's db-pre-request hook (hosted
-- Supabase runs it too). GCRA: each user has a theoretical arrival time (tat); a request is let
-- through when it keeps tat within one period of now, which allows bursts of max_requests and
-- a sustained max_requests per period. Over the limit: 429 with Retry-After.
--
-- The hook shares the request's transaction: a request that fails rolls back its own count.

create table private.rate_limit_settings (
  id boolean primary key default true,
  max_requests integer not null default 60,
  period_seconds integer not null default 60
);

create table private.rate_limits (
  caller text primary key,
  tat timestamptz not null
);

alter table private.rate_limit_settings
  add constraint rate_limit_settings_single_row check (id),
  add constraint rate_limit_settings_max_requests_positive check (max_requests > 0),
  add constraint rate_limit_settings_period_positive check (period_seconds > 0);

alter table private.rate_limit_settings enable row level security;
alter table private.rate_limits enable row level security;

revoke all on table private.rate_limit_settings, private.rate_limits from public, anon, authenticated, service_role;

insert into private.rate_limit_settings default values;

create function private.check_rate_limit() returns void
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
     or coalesce(current_setting('request.path', true), '') !~ '/rpc/(reserve_stock|release_reservation|checkout|adjust_stock|set_stock)$' then
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

-- Rows whose tat has passed carry no state (a fresh row behaves the same).
create function public.purge_rate_limits() returns integer
language sql
security definer
set search_path = ''
as $$
  with purged as (delete from private.rate_limits where tat < now() returning 1)
  select count(*)::integer from purged
$$;

revoke all on function private.check_rate_limit() from public;
grant execute on function private.check_rate_limit() to anon, authenticated, service_role;
revoke all on function public.purge_rate_limits() from public, anon, authenticated, service_role;
grant execute on function public.purge_rate_limits() to service_role;

alter role authenticator set pgrst.db_pre_request = 'private.check_rate_limit';
notify pgrst, 'reload config';
