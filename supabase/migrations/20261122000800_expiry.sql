-- Reservation expiry. A reservation past expires_at never blocks stock: whoever locks its
-- level next (reserve, release, adjust, set) expires it first, reads of availability discount
-- it, and expire_reservations() sweeps the rest (pg_cron on hosted Supabase, stack/sweeper.ts
-- locally).

-- Both functions take the cut-off time once, as a value: clock_timestamp() in a predicate cannot
-- drive an index scan of reservations (on expires_at).

-- Expires the active reservations past their time on the given levels, which the caller must
-- hold locked (rows of inventory_levels are always locked before rows of reservations).
create function private.expire_stale_reservations(p_product_ids uuid[], p_location_ids uuid[]) returns integer
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

create function public.expire_reservations() returns integer
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

revoke all on function private.expire_stale_reservations(uuid[], uuid[]) from public;
revoke all on function public.expire_reservations() from public, anon, authenticated, service_role;
grant execute on function public.expire_reservations() to service_role;
