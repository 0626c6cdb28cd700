-- Platform bootstrap: what hosted Supabase has before a project's migrations run.
-- Idempotent: every statement may run again on an already bootstrapped database.

-- Roles as the supabase/postgres image leaves them (migrations/db/init-scripts and
-- migrations/db/migrations; supautils.conf for what supautils lets `postgres` do).
-- Runs as supabase_admin, the superuser initdb created. Every statement also converges a
-- database bootstrapped by older versions of this file (where `postgres` was the superuser).
do $$
declare
  r record;
begin
  for r in select * from (values
    ('postgres', true), ('anon', false), ('authenticated', false), ('service_role', false),
    ('authenticator', true), ('supabase_auth_admin', true), ('supabase_realtime_admin', true),
    ('supabase_replication_admin', true), ('supabase_read_only_user', true), ('supabase_superuser', false)
  ) as t(name, login) loop
    if not exists (select from pg_roles where rolname = r.name) then
      execute format('create role %I %s', r.name, case when r.login then 'login password ''postgres''' else 'nologin' end);
    end if;
  end loop;
end
$$;

alter role supabase_admin with superuser createdb createrole replication bypassrls login;
alter role supabase_admin set search_path to "$user", public, auth, extensions;

-- postgres: what migrations, seed.sql and the dashboard's SQL editor run as. Not a superuser.
alter role postgres with nosuperuser createdb createrole login replication bypassrls inherit;
alter role postgres set search_path to "$user", public, extensions;
grant anon, authenticated, service_role to postgres with admin option;
grant pg_monitor, pg_read_all_data, pg_signal_backend, supabase_superuser to postgres;
-- On hosted Supabase, supautils lets postgres `alter role authenticator set pgrst.*`
-- (privileged_role_allowed_configs); here ADMIN on authenticator (without its rights) does that.
grant authenticator to postgres with admin option, inherit false, set false;
grant execute on function pg_catalog.pg_reload_conf() to postgres;
-- supautils' privileged_role_allowed_configs: superuser-only settings postgres may set (`set`,
-- `alter role ... set`) on hosted Supabase. Wildcards (pgrst.*, pgaudit.*, ...) become
-- PostgREST's in-database settings and the parameters this Postgres has.
grant set on parameter
  log_lock_waits, log_min_duration_statement, log_min_messages, log_parameter_max_length,
  log_replication_commands, log_statement, log_temp_files, session_replication_role, track_io_timing,
  wal_compression, pg_stat_statements.track, pg_stat_statements.track_utility, pg_stat_statements.track_planning,
  pg_stat_statements.save, safeupdate.enabled,
  pgrst.db_aggregates_enabled, pgrst.db_anon_role, pgrst.db_extra_search_path, pgrst.db_hoisted_tx_settings,
  pgrst.db_max_rows, pgrst.db_plan_enabled, pgrst.db_pre_config, pgrst.db_pre_request, pgrst.db_prepared_statements,
  pgrst.db_root_spec, pgrst.db_schemas, pgrst.db_tx_end, pgrst.jwt_aud, pgrst.jwt_cache_max_lifetime,
  pgrst.jwt_role_claim_key, pgrst.jwt_secret, pgrst.jwt_secret_is_base64, pgrst.openapi_mode,
  pgrst.openapi_security_active, pgrst.openapi_server_proxy_uri, pgrst.server_cors_allowed_origins,
  pgrst.server_timing_enabled, pgrst.server_trace_header
  to postgres;
-- The image's initdb user is supabase_admin; the database then belongs to postgres (migrate.sh).
do $$
begin
  execute format('alter database %I owner to postgres', current_database());
  execute format('grant create on database %I to supabase_auth_admin, supabase_realtime_admin', current_database());
end
$$;

-- API roles (inherit since the image's 20230529 migration), and PostgREST's login role.
alter role anon with nologin inherit nosuperuser;
alter role authenticated with nologin inherit nosuperuser;
alter role service_role with nologin inherit bypassrls nosuperuser;
alter role authenticator with login noinherit nosuperuser nocreaterole nocreatedb noreplication;
grant anon, authenticated, service_role to authenticator;
-- The API roles run statements for up to these limits, as on hosted Supabase.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

-- Service roles.
alter role supabase_auth_admin with login noinherit nosuperuser nocreaterole noreplication;
alter role supabase_auth_admin set search_path = auth;
alter role supabase_auth_admin set idle_in_transaction_session_timeout = 60000;
alter role supabase_realtime_admin with login noinherit createrole replication nosuperuser;
alter role supabase_realtime_admin set search_path = public, extensions, realtime;
grant anon, authenticated, service_role to supabase_realtime_admin;
grant set on parameter log_min_messages to supabase_realtime_admin;
alter role supabase_replication_admin with login replication nosuperuser;
alter role supabase_read_only_user with login bypassrls nosuperuser;
grant pg_read_all_data to supabase_read_only_user;

-- Extensions hosted projects start with, created by the platform (supautils lets postgres
-- create the others on its allow-list; see stack/README.md, Roles).
create schema if not exists extensions authorization postgres;
alter schema extensions owner to postgres;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pg_stat_statements with schema extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
grant all on all tables in schema extensions to postgres with grant option;
grant all on all routines in schema extensions to postgres with grant option;
grant all on all sequences in schema extensions to postgres with grant option;
alter default privileges in schema extensions grant all on tables to postgres with grant option;
alter default privileges in schema extensions grant all on routines to postgres with grant option;
alter default privileges in schema extensions grant all on sequences to postgres with grant option;
do $$
begin
  execute format('alter database %I set search_path to "$user", public, extensions', current_database());
end
$$;

create schema if not exists graphql_public;
alter schema graphql_public owner to supabase_admin;
grant usage on schema graphql_public to postgres, anon, authenticated, service_role;

-- auth: the tables GoTrue owns, with Supabase's column names. The schema is the platform's,
-- its tables GoTrue's (supabase_auth_admin); postgres may read and write them but not create
-- in the schema (the image's 20240627 migration).
create schema if not exists auth authorization supabase_admin;
alter schema auth owner to supabase_admin;
grant all on schema auth to supabase_auth_admin;
grant usage on schema auth to postgres, anon, authenticated, service_role;
revoke create on schema auth from postgres;

create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz,
  updated_at timestamptz,
  phone text unique default null,
  phone_confirmed_at timestamptz,
  phone_change text default '',
  phone_change_token varchar(255) default '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current varchar(255) default '',
  email_change_confirm_status smallint default 0 check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2),
  banned_until timestamptz,
  reauthentication_token varchar(255) default '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where (is_sso_user = false);
create index if not exists users_instance_id_idx on auth.users (instance_id);

create table if not exists auth.identities (
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz,
  updated_at timestamptz,
  email text generated always as (lower(identity_data ->> 'email')) stored,
  id uuid primary key default extensions.gen_random_uuid(),
  unique (provider_id, provider)
);
create index if not exists identities_user_id_idx on auth.identities (user_id);

create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz,
  updated_at timestamptz,
  factor_id uuid,
  aal text,
  not_after timestamptz,
  refreshed_at timestamp,
  user_agent text,
  ip inet,
  tag text
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);

create table if not exists auth.refresh_tokens (
  instance_id uuid,
  id bigserial primary key,
  token varchar(255) unique,
  user_id varchar(255),
  revoked boolean,
  created_at timestamptz,
  updated_at timestamptz,
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade
);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);

alter table auth.users enable row level security;
alter table auth.identities enable row level security;
alter table auth.sessions enable row level security;
alter table auth.refresh_tokens enable row level security;
alter table auth.users owner to supabase_auth_admin;
alter table auth.identities owner to supabase_auth_admin;
alter table auth.sessions owner to supabase_auth_admin;
alter table auth.refresh_tokens owner to supabase_auth_admin;
grant all on all tables in schema auth to supabase_auth_admin, service_role, postgres;
grant all on all sequences in schema auth to supabase_auth_admin, service_role, postgres;
alter default privileges for role supabase_auth_admin in schema auth grant all on tables to postgres;
alter default privileges for role supabase_auth_admin in schema auth grant all on sequences to postgres;
alter default privileges for role supabase_auth_admin in schema auth grant all on routines to postgres;

create or replace function auth.uid() returns uuid language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
alter function auth.jwt() owner to supabase_auth_admin;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to postgres, anon, authenticated, service_role;

-- public: Supabase's default privileges, so new objects are reachable (RLS decides the rows).
-- Only default privileges: granting on existing objects would undo the migrations' revokes each
-- time the stack starts.
grant usage on schema public to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role postgres in schema public grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema public grant all on functions to postgres, anon, authenticated, service_role;

-- realtime: Supabase Realtime's SQL API (supabase/realtime, priv/repo/tenant_schema/realtime).
-- realtime.messages is not partitioned here; the Realtime service deletes rows older than 3 days.
-- The schema is the platform's; the Realtime service (supabase_realtime_admin) owns its objects.
create schema if not exists realtime authorization supabase_admin;
alter schema realtime owner to supabase_admin;
grant usage on schema realtime to anon, authenticated, service_role;
grant usage on schema realtime to postgres with grant option;
revoke create on schema realtime from postgres;
grant all on schema realtime to supabase_realtime_admin with grant option;
grant usage on schema auth to supabase_realtime_admin;
grant execute on all functions in schema auth to supabase_realtime_admin;
grant create, usage on schema public to supabase_realtime_admin;
grant usage on schema extensions to supabase_realtime_admin;

create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  constraint messages_pkey primary key (id, inserted_at)
);
create index if not exists messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;
alter table realtime.messages enable row level security;
alter table realtime.messages owner to supabase_realtime_admin;
grant insert, select, update on realtime.messages to postgres, anon, authenticated, service_role;

create or replace function realtime.topic() returns text language sql stable as $$
  select nullif(current_setting('realtime.topic', true), '')::text;
$$;

create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language plpgsql as $$
declare
  generated_id uuid;
  final_payload jsonb;
begin
  begin
    generated_id := gen_random_uuid();
    if payload ? 'id' then
      final_payload := payload;
    else
      final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
    end if;
    execute format('set local realtime.topic to %L', topic);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, final_payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;

create or replace function realtime.broadcast_changes(
  topic_name text, event_name text, operation text, table_name text, table_schema text,
  new record, old record, level text default 'ROW'
) returns void language plpgsql as $$
declare
  row_data jsonb := '{}'::jsonb;
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation = 'INSERT' or operation = 'UPDATE' or operation = 'DELETE' then
    row_data := jsonb_build_object('old_record', old, 'record', new, 'operation', operation, 'table', table_name, 'schema', table_schema);
    perform realtime.send(row_data, event_name, topic_name);
  else
    raise exception 'Unexpected operation type: %', operation;
  end if;
exception
  when others then
    raise exception 'Failed to process the row: %', sqlerrm;
end;
$$;

-- Everything in realtime belongs to the Realtime service (also what older bootstraps and the
-- stack's Realtime created there as postgres).
do $$
declare
  f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_proc p where p.pronamespace = 'realtime'::regnamespace
           and p.proowner <> 'supabase_realtime_admin'::regrole loop
    execute format('alter function %s owner to supabase_realtime_admin', f);
  end loop;
end
$$;
grant execute on all functions in schema realtime to postgres, anon, authenticated, service_role;

-- Inserts into realtime.messages reach subscribers through logical replication, as on Supabase.
do $$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime_messages_publication') then
    create publication supabase_realtime_messages_publication for table realtime.messages with (publish = 'insert');
  end if;
end
$$;
alter publication supabase_realtime_messages_publication set (publish = 'insert');

do $$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$$;
-- The image creates it as postgres, so projects can `alter publication supabase_realtime add table`.
alter publication supabase_realtime owner to postgres;

-- The Supabase CLI's migration history: the CLI creates it as postgres.
create schema if not exists supabase_migrations authorization postgres;
alter schema supabase_migrations owner to postgres;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);
create table if not exists supabase_migrations.seed_files (
  path text primary key,
  hash text not null
);
alter table supabase_migrations.schema_migrations owner to postgres;
alter table supabase_migrations.seed_files owner to postgres;

-- supautils' policy_grants and drop_trigger_grants, without supautils: postgres may create, alter
-- and drop policies, and drop triggers, on these platform tables it does not own, and nothing
-- more. For one such statement by postgres, postgres becomes a member of the tables' owners
-- (ddl_command_start); the statement's target is then checked against the list and the
-- membership revoked (sql_drop, ddl_command_end). Grants are transactional: a failed statement
-- rolls its grant back too.
create or replace function extensions.stack_privileged_tables() returns text[]
language sql immutable set search_path = '' as $$
  select array[
    'auth.audit_log_entries', 'auth.flow_state', 'auth.identities', 'auth.instances', 'auth.mfa_amr_claims',
    'auth.mfa_challenges', 'auth.mfa_factors', 'auth.oauth_clients', 'auth.one_time_tokens', 'auth.refresh_tokens',
    'auth.saml_providers', 'auth.saml_relay_states', 'auth.sessions', 'auth.sso_domains', 'auth.sso_providers',
    'auth.users', 'realtime.messages', 'realtime.subscription'
  ]
$$;

create or replace function extensions.stack_privileged_ddl_start() returns event_trigger
language plpgsql security definer set search_path = '' as $$
begin
  if session_user = 'postgres' and pg_catalog.current_setting('role') = 'none'
     and not pg_catalog.pg_has_role('postgres', 'supabase_auth_admin', 'usage') then
    grant supabase_auth_admin, supabase_realtime_admin to postgres with inherit true, set false;
    perform pg_catalog.set_config('stack.privileged_ddl', 'granted', true);
  end if;
end
$$;

create or replace function extensions.stack_privileged_ddl_check(rel regclass) returns void
language plpgsql security definer set search_path = '' as $$
begin
  if pg_catalog.current_setting('stack.privileged_ddl', true) = 'granted'
     and (select c.relowner from pg_catalog.pg_class c where c.oid = rel) in ('supabase_auth_admin'::regrole, 'supabase_realtime_admin'::regrole)
     and not (select pg_catalog.format('%s.%s', n.nspname, c.relname) from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.oid = rel)
             = any (extensions.stack_privileged_tables()) then
    raise exception 'must be owner of table %', (select c.relname from pg_catalog.pg_class c where c.oid = rel)
      using errcode = 'insufficient_privilege';
  end if;
end
$$;

create or replace function extensions.stack_privileged_ddl_end() returns event_trigger
language plpgsql security definer set search_path = '' as $$
declare
  rel regclass;
begin
  if pg_catalog.current_setting('stack.privileged_ddl', true) is distinct from 'granted' then
    return;
  end if;
  for rel in select p.polrelid from pg_catalog.pg_event_trigger_ddl_commands() cmd
             join pg_catalog.pg_policy p on p.oid = cmd.objid where cmd.classid = 'pg_catalog.pg_policy'::regclass loop
    perform extensions.stack_privileged_ddl_check(rel);
  end loop;
  revoke supabase_auth_admin, supabase_realtime_admin from postgres;
  perform pg_catalog.set_config('stack.privileged_ddl', '', true);
end
$$;

create or replace function extensions.stack_privileged_ddl_drop() returns event_trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj record;
begin
  for obj in select * from pg_catalog.pg_event_trigger_dropped_objects() where object_type in ('policy', 'trigger') loop
    perform extensions.stack_privileged_ddl_check(pg_catalog.format('%I.%I', obj.address_names[1], obj.address_names[2])::regclass);
  end loop;
end
$$;

revoke all on function extensions.stack_privileged_tables(), extensions.stack_privileged_ddl_start(),
  extensions.stack_privileged_ddl_check(regclass), extensions.stack_privileged_ddl_end(), extensions.stack_privileged_ddl_drop() from public;

drop event trigger if exists stack_privileged_ddl_start;
create event trigger stack_privileged_ddl_start on ddl_command_start
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY', 'DROP TRIGGER')
  execute function extensions.stack_privileged_ddl_start();
drop event trigger if exists stack_privileged_ddl_drop;
create event trigger stack_privileged_ddl_drop on sql_drop
  when tag in ('DROP POLICY', 'DROP TRIGGER')
  execute function extensions.stack_privileged_ddl_drop();
drop event trigger if exists stack_privileged_ddl_end;
create event trigger stack_privileged_ddl_end on ddl_command_end
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY', 'DROP TRIGGER')
  execute function extensions.stack_privileged_ddl_end();
