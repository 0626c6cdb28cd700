-- Idempotency keys (Stripe, IETF draft-ietf-httpapi-idempotency-key-header): every mutating RPC
-- takes a key; the first successful call stores its result under (caller, operation, key) with
-- a hash of its arguments. A failed call stores nothing (its transaction rolls back), so it may
-- be retried with the same key. Keys live 24 hours, then purge_idempotency_keys() removes them.

create table private.idempotency_keys (
  caller text not null,
  operation text not null,
  key text not null,
  request_hash text not null,
  result jsonb not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '24 hours',
  primary key (caller, operation, key)
);

create index idempotency_keys_expires_at_idx on private.idempotency_keys (expires_at);

alter table private.idempotency_keys enable row level security;

revoke all on table private.idempotency_keys from public, anon, authenticated, service_role;

-- 400 unless the key is 8 to 255 visible ASCII characters (0x21-0x7E), e.g. a UUID.
create function private.require_idempotency_key(p_key text) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_key is null or p_key = '' then
    perform private.raise_error('idempotency_key_required', 400, 'An idempotency key is required',
      'idempotency_key is missing', 'Send a fresh key per logical operation, e.g. a UUID.');
  end if;
  if char_length(p_key) not between 8 and 255 or p_key !~ '^[!-~]+$' then
    perform private.raise_error('idempotency_key_invalid', 400, 'The idempotency key is malformed',
      'idempotency_key must be 8 to 255 visible ASCII characters', 'Use a UUID.');
  end if;
end;
$$;

create function private.request_hash(p_arguments jsonb) returns text
language plpgsql
immutable
security definer
set search_path = ''
as $$
begin
  return encode(sha256(convert_to(p_arguments::text, 'UTF8')), 'hex');
end;
$$;

-- Serialises calls with the same (caller, operation, key) until the holder's transaction ends,
-- then returns the stored result (marking the response as a replay), or null when the key is
-- new or past its retention. Raises 422 when the key was used with other arguments.
create function private.idempotency_lookup(p_operation text, p_key text, p_arguments jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_caller text := private.caller_id();
  v_stored private.idempotency_keys;
  v_headers jsonb;
begin
  perform pg_advisory_xact_lock(hashtextextended(v_caller || '/' || p_operation || '/' || p_key, 0));
  select * into v_stored from private.idempotency_keys
    where caller = v_caller and operation = p_operation and key = p_key;
  if not found then
    return null;
  end if;
  if v_stored.expires_at <= now() then
    delete from private.idempotency_keys where caller = v_caller and operation = p_operation and key = p_key;
    return null;
  end if;
  if v_stored.request_hash <> private.request_hash(p_arguments) then
    perform private.raise_error('idempotency_key_reused', 422,
      'This idempotency key was already used with different arguments',
      format('%s was first called with other arguments under this key', p_operation),
      'Use a new key for a new operation.');
  end if;
  v_headers := coalesce(nullif(current_setting('response.headers', true), '')::jsonb, '[]'::jsonb);
  perform set_config('response.headers',
    (v_headers || jsonb_build_array(jsonb_build_object('Idempotent-Replayed', 'true')))::text, true);
  return v_stored.result;
end;
$$;

create function private.idempotency_save(p_operation text, p_key text, p_arguments jsonb, p_result jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.idempotency_keys (caller, operation, key, request_hash, result)
  values (private.caller_id(), p_operation, p_key, private.request_hash(p_arguments), p_result);
end;
$$;

create function public.purge_idempotency_keys() returns integer
language sql
security definer
set search_path = ''
as $$
  with purged as (delete from private.idempotency_keys where expires_at <= now() returning 1)
  select count(*)::integer from purged
$$;

revoke all on function private.require_idempotency_key(text) from public;
revoke all on function private.request_hash(jsonb) from public;
revoke all on function private.idempotency_lookup(text, text, jsonb) from public;
revoke all on function private.idempotency_save(text, text, jsonb, jsonb) from public;
revoke all on function public.purge_idempotency_keys() from public, anon, authenticated, service_role;
grant execute on function public.purge_idempotency_keys() to service_role;
