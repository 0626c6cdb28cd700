-- Shopper RPCs: reserve_stock, release_reservation, checkout. Lock order everywhere: the
-- idempotency key's advisory lock, then inventory_levels rows in primary-key order, then
-- reservations rows in id order, so concurrent callers never deadlock.

-- 409 unless every given reservation is active and unexpired, naming the first offender by id.
-- The caller holds them locked.
create function private.require_active_reservations(p_reservation_ids uuid[]) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_bad record;
begin
  select id, status into v_bad from public.reservations where id = any (p_reservation_ids) and status <> 'active' order by id limit 1;
  if found then
    perform private.raise_error('reservation_not_active', 409, 'The reservation is not active', format('reservation %s is %s', v_bad.id, v_bad.status));
  end if;
  select id, expires_at into v_bad from public.reservations where id = any (p_reservation_ids) and expires_at <= clock_timestamp() order by id limit 1;
  if found then
    perform private.raise_error('reservation_expired', 409, 'The reservation has expired', format('reservation %s expired at %s', v_bad.id, v_bad.expires_at));
  end if;
end;
$$;

revoke all on function private.require_active_reservations(uuid[]) from public;

create function public.reserve_stock(
  product_id uuid default null,
  quantity integer default null,
  idempotency_key text default null,
  ttl_seconds integer default 600
) returns public.reservations
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_product_id uuid := $1;
  p_quantity integer := $2;
  p_key text := $3;
  p_ttl_seconds integer := $4;
  v_customer_id uuid;
  v_arguments jsonb;
  v_stored jsonb;
  v_product public.products;
  v_ttl_seconds integer;
  v_product_ids uuid[];
  v_location_ids uuid[];
  v_level public.inventory_levels;
  v_best_available integer;
  v_reservation public.reservations;
begin
  v_customer_id := private.require_user();
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_product_id is not null, 'product_id');
  perform private.require_quantity(p_quantity > 0, 'quantity', p_quantity, 'a positive integer');
  if p_ttl_seconds is null or p_ttl_seconds not between 1 and 86400 then
    perform private.raise_error('invalid_argument', 400, 'ttl_seconds must be between 1 and 86400', format('ttl_seconds is %s', coalesce(p_ttl_seconds::text, 'null')));
  end if;

  v_arguments := jsonb_build_object('product_id', p_product_id, 'quantity', p_quantity, 'ttl_seconds', p_ttl_seconds);
  v_stored := private.idempotency_lookup('reserve_stock', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.reservations, v_stored);
  end if;

  select * into v_product from public.products where id = p_product_id and active;
  if not found then
    perform private.raise_error('product_not_found', 404, 'No such product', format('product %s does not exist or is not for sale', p_product_id));
  end if;
  select least(p_ttl_seconds, reservation_ttl_seconds) into v_ttl_seconds from public.vendors where id = v_product.vendor_id;

  select coalesce(array_agg(product_id), '{}'), coalesce(array_agg(location_id), '{}') into v_product_ids, v_location_ids
  from (
    select product_id, location_id from public.inventory_levels
    where product_id = p_product_id
    order by product_id, location_id
    for update
  ) locked;
  perform private.expire_stale_reservations(v_product_ids, v_location_ids);

  -- All-or-nothing at one location: the one with the most available stock.
  select * into v_level from public.inventory_levels
  where product_id = p_product_id
  order by available desc, location_id
  limit 1;
  v_best_available := coalesce(v_level.available, 0);
  if v_best_available < p_quantity then
    perform private.raise_error('insufficient_stock', 409, 'Not enough stock available',
      format('requested %s, at most %s available at one location', p_quantity, v_best_available));
  end if;

  update public.inventory_levels set reserved = reserved + p_quantity
  where product_id = v_level.product_id and location_id = v_level.location_id
  returning * into v_level;
  insert into public.reservations (vendor_id, product_id, location_id, customer_id, quantity, expires_at)
  values (v_level.vendor_id, v_level.product_id, v_level.location_id, v_customer_id, p_quantity,
          clock_timestamp() + make_interval(secs => v_ttl_seconds))
  returning * into v_reservation;
  perform private.record_movement(v_level, 'reservation', 0, p_quantity, null, v_reservation.id::text, p_key);

  perform private.idempotency_save('reserve_stock', p_key, v_arguments, to_jsonb(v_reservation));
  return v_reservation;
end;
$$;

create function public.release_reservation(
  reservation_id uuid default null,
  idempotency_key text default null
) returns public.reservations
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_reservation_id uuid := $1;
  p_key text := $2;
  v_user_id uuid;
  v_arguments jsonb;
  v_stored jsonb;
  v_reservation public.reservations;
  v_level public.inventory_levels;
begin
  v_user_id := private.require_user();
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_reservation_id is not null, 'reservation_id');

  v_arguments := jsonb_build_object('reservation_id', p_reservation_id);
  v_stored := private.idempotency_lookup('release_reservation', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.reservations, v_stored);
  end if;

  -- The shopper who holds it, or a member of its vendor, may release it.
  select * into v_reservation from public.reservations
  where id = p_reservation_id
    and (customer_id = v_user_id or vendor_id in (select private.member_vendor_ids()));
  if not found then
    perform private.raise_error('reservation_not_found', 404, 'No such reservation', format('reservation %s does not exist or is not yours', p_reservation_id));
  end if;

  perform 1 from public.inventory_levels
  where product_id = v_reservation.product_id and location_id = v_reservation.location_id
  for update;
  perform 1 from public.reservations where id = p_reservation_id for update;
  perform private.require_active_reservations(array[p_reservation_id]);

  update public.reservations set status = 'released' where id = p_reservation_id returning * into v_reservation;
  update public.inventory_levels set reserved = reserved - v_reservation.quantity
  where product_id = v_reservation.product_id and location_id = v_reservation.location_id
  returning * into v_level;
  perform private.record_movement(v_level, 'release', 0, -v_reservation.quantity, null, v_reservation.id::text, p_key);

  perform private.idempotency_save('release_reservation', p_key, v_arguments, to_jsonb(v_reservation));
  return v_reservation;
end;
$$;

create function public.checkout(
  reservation_ids uuid[] default null,
  idempotency_key text default null
) returns public.orders
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_reservation_ids uuid[] := $1;
  p_key text := $2;
  v_customer_id uuid;
  v_arguments jsonb;
  v_stored jsonb;
  v_count integer;
  v_vendor_ids uuid[];
  v_order public.orders;
  v_level record;
  v_updated public.inventory_levels;
begin
  v_customer_id := private.require_user();
  perform private.require_idempotency_key(p_key);
  if p_reservation_ids is null or cardinality(p_reservation_ids) = 0 or array_position(p_reservation_ids, null) is not null then
    perform private.raise_error('invalid_argument', 400, 'reservation_ids is required', 'reservation_ids must be a non-empty array of reservation ids');
  end if;
  if cardinality(p_reservation_ids) > 100 then
    perform private.raise_error('invalid_argument', 400, 'Too many reservations', 'at most 100 reservations per checkout');
  end if;
  if (select count(distinct id) from unnest(p_reservation_ids) as id) <> cardinality(p_reservation_ids) then
    perform private.raise_error('invalid_argument', 400, 'reservation_ids contains duplicates');
  end if;

  v_arguments := jsonb_build_object('reservation_ids', to_jsonb(p_reservation_ids));
  v_stored := private.idempotency_lookup('checkout', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.orders, v_stored);
  end if;

  select count(*), array_agg(distinct vendor_id) into v_count, v_vendor_ids
  from public.reservations where id = any (p_reservation_ids) and customer_id = v_customer_id;
  if v_count <> cardinality(p_reservation_ids) then
    perform private.raise_error('reservation_not_found', 404, 'No such reservation',
      (select format('reservation %s does not exist or is not yours', wanted.id) from unnest(p_reservation_ids) as wanted (id)
       where not exists (select 1 from public.reservations r where r.id = wanted.id and r.customer_id = v_customer_id) limit 1));
  end if;
  if cardinality(v_vendor_ids) > 1 then
    perform private.raise_error('multiple_vendors', 400, 'A checkout covers reservations of one vendor',
      format('the reservations belong to %s vendors', cardinality(v_vendor_ids)), 'Check out each vendor''s reservations separately.');
  end if;

  perform 1 from public.inventory_levels
  where (product_id, location_id) in (select product_id, location_id from public.reservations where id = any (p_reservation_ids))
  order by product_id, location_id
  for update;
  perform 1 from public.reservations where id = any (p_reservation_ids) order by id for update;
  perform private.require_active_reservations(p_reservation_ids);

  insert into public.orders (vendor_id, customer_id, total, item_count)
  select v_vendor_ids[1], v_customer_id, sum(r.quantity * p.price), sum(r.quantity)
  from public.reservations r join public.products p on p.id = r.product_id
  where r.id = any (p_reservation_ids)
  returning * into v_order;
  insert into public.order_lines (order_id, vendor_id, customer_id, reservation_id, product_id, location_id, quantity, unit_price)
  select v_order.id, r.vendor_id, r.customer_id, r.id, r.product_id, r.location_id, r.quantity, p.price
  from public.reservations r join public.products p on p.id = r.product_id
  where r.id = any (p_reservation_ids)
  order by r.id;
  update public.reservations set status = 'committed', order_id = v_order.id where id = any (p_reservation_ids);

  for v_level in
    select product_id, location_id, sum(quantity)::integer as quantity, array_agg(id order by id) as ids, array_agg(quantity order by id) as quantities
    from public.reservations where id = any (p_reservation_ids)
    group by product_id, location_id
    order by product_id, location_id
  loop
    update public.inventory_levels
    set on_hand = on_hand - v_level.quantity, reserved = reserved - v_level.quantity
    where product_id = v_level.product_id and location_id = v_level.location_id
    returning * into v_updated;
    perform private.record_movement(v_updated, 'sale', -x.quantity, -x.quantity, format('reservation %s', x.id), v_order.id::text, p_key)
    from unnest(v_level.ids, v_level.quantities) as x (id, quantity);
  end loop;

  perform private.idempotency_save('checkout', p_key, v_arguments, to_jsonb(v_order));
  return v_order;
end;
$$;

revoke all on function public.reserve_stock(uuid, integer, text, integer) from public, anon, authenticated, service_role;
revoke all on function public.release_reservation(uuid, text) from public, anon, authenticated, service_role;
revoke all on function public.checkout(uuid[], text) from public, anon, authenticated, service_role;
grant execute on function public.reserve_stock(uuid, integer, text, integer) to authenticated;
grant execute on function public.release_reservation(uuid, text) to authenticated;
grant execute on function public.checkout(uuid[], text) to authenticated;
