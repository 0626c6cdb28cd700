-- The private schema holds helpers that policies and RPCs call. PostgREST never exposes it.
-- API roles need `usage` because RLS policies and the db-pre-request hook run helpers as the
-- request's role; each function grants `execute` explicitly.
--
-- Helpers that every RPC call runs (caller_id, request_hash, idempotency_save, record_movement,
-- expire_stale_reservations) are plpgsql rather than sql: plpgsql caches its statement plans per
-- session, while a SQL function that is not inlined (security definer ones never are) is planned
-- again on every call.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to anon, authenticated, service_role;

-- Raises an error that PostgREST (>= 11.2) turns into the given HTTP status, headers and body
-- {code, message, details, hint}; see supabase/README.md for the catalog of codes.
create function private.raise_error(
  code text,
  status integer,
  message text,
  details text default null,
  hint text default null,
  headers jsonb default '{}'::jsonb
) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  raise sqlstate 'PGRST' using
    message = json_build_object('code', code, 'message', message, 'details', details, 'hint', hint)::text,
    detail = json_build_object('status', status, 'headers', headers)::text;
end;
$$;

-- Platform admins carry app_metadata.role = 'admin', which only the service role can set.
create function private.is_admin() returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select auth.jwt()) -> 'app_metadata' ->> 'role' = 'admin', false)
$$;

-- Who is calling, for idempotency scoping: the user id, else the API role (service_role).
create function private.caller_id() returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce(auth.uid()::text, 'role:' || coalesce(auth.role(), session_user));
end;
$$;

create function private.require_user() returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    perform private.raise_error('not_authenticated', 401, 'Sign in to do this', 'The request carries no user', null);
  end if;
  return v_uid;
end;
$$;

create function private.touch_updated_at() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

revoke all on function private.raise_error(text, integer, text, text, text, jsonb) from public;
revoke all on function private.is_admin() from public;
revoke all on function private.caller_id() from public;
revoke all on function private.require_user() from public;
revoke all on function private.touch_updated_at() from public;
grant execute on function private.is_admin() to anon, authenticated, service_role;
