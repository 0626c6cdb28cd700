-- Hot-path helpers as plpgsql, whose statement plans are cached per session (a SQL function
-- that is not inlined is planned again on every call), and an index that lets the expiry check
-- read only the stale reservations of a level instead of all its active ones (which needs the
-- cut-off time as a value: clock_timestamp() in a predicate cannot drive an index scan).

create index reservations_active_level_expiry_idx on public.reservations (product_id, location_id, expires_at) where status = 'active';
drop index public.reservations_active_level_idx;

create or replace function private.caller_id() returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce(auth.uid()::text, 'role:' || coalesce(auth.role(), session_user));
end;
$$;

create or replace function private.request_hash(p_arguments jsonb) returns text
language plpgsql
immutable
security definer
set search_path = ''
as $$
begin
  return encode(sha256(convert_to(p_arguments::text, 'UTF8')), 'hex');
end;
$$;

create or replace function private.idempotency_save(p_operation text, p_key text, p_arguments jsonb, p_result jsonb) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.idempotency_keys (caller, operation, key, request_hash, result)
  values (private.caller_id(), p_operation, p_key, private.request_hash(p_arguments), p_result);
end;
$$;

create or replace function private.record_movement(
  p_level public.inventory_levels,
  p_kind text,
  p_on_hand_delta integer,
  p_reserved_delta integer,
  p_reason text,
  p_reference text,
  p_idempotency_key text
) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.stock_movements (
    vendor_id, product_id, location_id, kind, on_hand_delta, reserved_delta, reason, reference,
    actor_id, actor_role, request_id, idempotency_key, level_version
  ) values (
    p_level.vendor_id, p_level.product_id, p_level.location_id, p_kind, p_on_hand_delta, p_reserved_delta,
    p_reason, p_reference, auth.uid(), coalesce(auth.role(), session_user),
    nullif(current_setting('request.headers', true), '')::json ->> 'x-request-id',
    p_idempotency_key, p_level.version
  );
end;
$$;

create or replace function private.expire_stale_reservations(p_product_ids uuid[], p_location_ids uuid[]) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_level_key record;
  v_ids uuid[];
  v_quantities integer[];
  v_level public.inventory_levels;
  v_count integer := 0;
  v_now timestamptz := clock_timestamp();
begin
  for v_level_key in
    select product_id, location_id from unnest(p_product_ids, p_location_ids) as l (product_id, location_id)
    order by product_id, location_id
  loop
    with expired as (
      update public.reservations
      set status = 'expired'
      where product_id = v_level_key.product_id and location_id = v_level_key.location_id
        and status = 'active' and expires_at <= v_now
      returning id, quantity
    )
    select coalesce(array_agg(id order by id), '{}'), coalesce(array_agg(quantity order by id), '{}')
      into v_ids, v_quantities
    from expired;
    continue when cardinality(v_ids) = 0;

    update public.inventory_levels
    set reserved = reserved - (select sum(q) from unnest(v_quantities) as q)
    where product_id = v_level_key.product_id and location_id = v_level_key.location_id
    returning * into v_level;
    perform private.record_movement(v_level, 'expiry', 0, -x.quantity, 'reservation expired', x.id::text, null)
    from unnest(v_ids, v_quantities) as x (id, quantity);
    v_count := v_count + cardinality(v_ids);
  end loop;
  return v_count;
end;
$$;

create or replace function public.expire_reservations() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_product_ids uuid[];
  v_location_ids uuid[];
  v_now timestamptz := clock_timestamp();
begin
  -- Lock the levels in primary-key order; skip the ones a request holds: it expires them itself
  -- or the next sweep does.
  select coalesce(array_agg(product_id), '{}'), coalesce(array_agg(location_id), '{}')
    into v_product_ids, v_location_ids
  from (
    select l.product_id, l.location_id
    from public.inventory_levels l
    where (l.product_id, l.location_id) in (
      select r.product_id, r.location_id from public.reservations r
      where r.status = 'active' and r.expires_at <= v_now
    )
    order by l.product_id, l.location_id
    limit 1000
    for update of l skip locked
  ) stale;
  return private.expire_stale_reservations(v_product_ids, v_location_ids);
end;
$$;
