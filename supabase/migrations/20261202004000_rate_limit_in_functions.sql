-- The per-user limit of stock changes moves from PostgREST's db-pre-request hook into the limited
-- functions themselves. The hook matched `request.path` with a regex, but PostgREST resolves the
-- function from the decoded URL: `/rpc/reserve%5Fstock` or `/rpc/%72eserve_stock` ran
-- reserve_stock unlimited. A check inside the function holds however the URL is spelled (and
-- whatever `request.path` hosted PostgREST passes), because it runs exactly when the function does.
--
-- Same limit as before: one GCRA bucket per user shared by all the stock-changing functions,
-- checked first, in the request's transaction (a request that fails is not counted). Only API
-- requests are limited (PostgREST sets request.method); the service role (no auth.uid()) and
-- direct SQL sessions, such as the seed, are not.

create function private.enforce_rate_limit() returns void
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
  if v_uid is null or coalesce(current_setting('request.method', true), '') = '' then
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

revoke all on function private.enforce_rate_limit() from public, anon, authenticated, service_role;

-- The hook no longer limits anything. It stays a no-op for a PostgREST that has not re-read its
-- configuration yet, and is no longer configured.
create or replace function private.check_rate_limit() returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
end;
$$;

alter role authenticator reset pgrst.db_pre_request;
notify pgrst, 'reload config';

-- reserve_stock: as in 20261122001000_reservation_api.sql, plus the rate limit.
create or replace function public.reserve_stock(
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
  perform private.enforce_rate_limit();
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

-- release_reservation: as in 20261122001000_reservation_api.sql, plus the rate limit.
create or replace function public.release_reservation(
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
  perform private.enforce_rate_limit();
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

-- checkout: as in 20261202001100_orders_request_id.sql, plus the rate limit.
create or replace function public.checkout(
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
  perform private.enforce_rate_limit();
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

  insert into public.orders (vendor_id, customer_id, total, item_count, request_id, vendor_name)
  select v_vendor_ids[1], v_customer_id, sum(r.quantity * p.price), sum(r.quantity),
         nullif(current_setting('request.headers', true), '')::json ->> 'x-request-id',
         (select v.name from public.vendors v where v.id = v_vendor_ids[1])
  from public.reservations r join public.products p on p.id = r.product_id
  where r.id = any (p_reservation_ids)
  returning * into v_order;
  insert into public.order_lines (order_id, vendor_id, customer_id, reservation_id, product_id, location_id, quantity, unit_price, product_name, sku)
  select v_order.id, r.vendor_id, r.customer_id, r.id, r.product_id, r.location_id, r.quantity, p.price, p.name, p.sku
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

-- adjust_stock: as in 20261122000900_stock_api.sql, plus the rate limit.
create or replace function public.adjust_stock(
  product_id uuid default null,
  location_id uuid default null,
  delta integer default null,
  reason text default null,
  idempotency_key text default null
) returns public.inventory_levels
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_product_id uuid := $1;
  p_location_id uuid := $2;
  p_delta integer := $3;
  p_reason text := $4;
  p_key text := $5;
  v_arguments jsonb;
  v_stored jsonb;
  v_vendor_id uuid;
  v_level public.inventory_levels;
begin
  perform private.enforce_rate_limit();
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_product_id is not null, 'product_id');
  perform private.require_argument(p_location_id is not null, 'location_id');
  perform private.require_quantity(p_delta <> 0, 'delta', p_delta, 'a non-zero integer');
  if p_reason is null or btrim(p_reason) = '' or char_length(p_reason) > 500 then
    perform private.raise_error('invalid_argument', 400, 'reason is required', 'reason must be 1 to 500 characters');
  end if;
  v_vendor_id := private.authorize_stock_change(p_product_id, p_location_id);

  v_arguments := jsonb_build_object('product_id', p_product_id, 'location_id', p_location_id, 'delta', p_delta, 'reason', p_reason);
  v_stored := private.idempotency_lookup('adjust_stock', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.inventory_levels, v_stored);
  end if;

  insert into public.inventory_levels (product_id, location_id, vendor_id)
  values (p_product_id, p_location_id, v_vendor_id)
  on conflict (product_id, location_id) do nothing;
  perform 1 from public.inventory_levels where product_id = p_product_id and location_id = p_location_id for update;
  perform private.expire_stale_reservations(array[p_product_id], array[p_location_id]);
  select * into v_level from public.inventory_levels where product_id = p_product_id and location_id = p_location_id;

  if v_level.on_hand + p_delta < v_level.reserved then
    perform private.raise_error('insufficient_stock', 409, 'Not enough unreserved stock for this adjustment',
      format('on_hand %s, reserved %s, delta %s', v_level.on_hand, v_level.reserved, p_delta),
      'Stock held by reservations cannot be removed.');
  end if;
  update public.inventory_levels set on_hand = on_hand + p_delta
  where product_id = p_product_id and location_id = p_location_id
  returning * into v_level;
  perform private.record_movement(v_level, case when p_delta > 0 then 'restock' else 'adjustment' end, p_delta, 0, p_reason, null, p_key);

  perform private.idempotency_save('adjust_stock', p_key, v_arguments, to_jsonb(v_level));
  return v_level;
end;
$$;

-- set_stock: as in 20261122000900_stock_api.sql, plus the rate limit.
create or replace function public.set_stock(
  product_id uuid default null,
  location_id uuid default null,
  on_hand integer default null,
  expected_version bigint default null,
  idempotency_key text default null
) returns public.inventory_levels
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_product_id uuid := $1;
  p_location_id uuid := $2;
  p_on_hand integer := $3;
  p_expected_version bigint := $4;
  p_key text := $5;
  v_arguments jsonb;
  v_stored jsonb;
  v_vendor_id uuid;
  v_level public.inventory_levels;
  v_delta integer;
begin
  perform private.enforce_rate_limit();
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_product_id is not null, 'product_id');
  perform private.require_argument(p_location_id is not null, 'location_id');
  perform private.require_quantity(p_on_hand >= 0, 'on_hand', p_on_hand, 'zero or more');
  if p_expected_version is null or p_expected_version < 0 then
    perform private.raise_error('invalid_argument', 400, 'expected_version is required',
      'expected_version must be the version you read, or 0 when the level does not exist yet');
  end if;
  v_vendor_id := private.authorize_stock_change(p_product_id, p_location_id);

  v_arguments := jsonb_build_object('product_id', p_product_id, 'location_id', p_location_id, 'on_hand', p_on_hand, 'expected_version', p_expected_version);
  v_stored := private.idempotency_lookup('set_stock', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.inventory_levels, v_stored);
  end if;

  select * into v_level from public.inventory_levels
  where product_id = p_product_id and location_id = p_location_id
  for update;
  if not found then
    if p_expected_version <> 0 then
      perform private.raise_error('version_conflict', 409, 'The stock level changed since you read it',
        format('expected version %s, the level does not exist yet', p_expected_version), 'Pass expected_version 0 to create it.');
    end if;
    insert into public.inventory_levels (product_id, location_id, vendor_id, on_hand)
    values (p_product_id, p_location_id, v_vendor_id, p_on_hand)
    on conflict (product_id, location_id) do nothing
    returning * into v_level;
    if not found then
      perform private.raise_error('version_conflict', 409, 'The stock level changed since you read it',
        'another request created this level first', 'Re-read the level and retry.');
    end if;
    if p_on_hand > 0 then
      perform private.record_movement(v_level, 'adjustment', p_on_hand, 0, 'stock count', null, p_key);
    end if;
  else
    if v_level.version <> p_expected_version then
      perform private.raise_error('version_conflict', 409, 'The stock level changed since you read it',
        format('expected version %s, current version %s', p_expected_version, v_level.version), 'Re-read the level and retry.');
    end if;
    perform private.expire_stale_reservations(array[p_product_id], array[p_location_id]);
    select * into v_level from public.inventory_levels where product_id = p_product_id and location_id = p_location_id;
    if p_on_hand < v_level.reserved then
      perform private.raise_error('insufficient_stock', 409, 'on_hand cannot go below the reserved quantity',
        format('on_hand %s requested, reserved %s', p_on_hand, v_level.reserved), 'Stock held by reservations cannot be removed.');
    end if;
    v_delta := p_on_hand - v_level.on_hand;
    if v_delta <> 0 then
      update public.inventory_levels set on_hand = p_on_hand
      where product_id = p_product_id and location_id = p_location_id
      returning * into v_level;
      perform private.record_movement(v_level, 'adjustment', v_delta, 0, 'stock count', null, p_key);
    end if;
  end if;

  perform private.idempotency_save('set_stock', p_key, v_arguments, to_jsonb(v_level));
  return v_level;
end;
$$;

-- extend_reservation: as in 20261202001200_extend_reservation.sql, plus the rate limit.
create or replace function public.extend_reservation(
  reservation_id uuid default null,
  idempotency_key text default null,
  ttl_seconds integer default 600
) returns public.reservations
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_reservation_id uuid := $1;
  p_key text := $2;
  p_ttl_seconds integer := $3;
  v_customer_id uuid;
  v_arguments jsonb;
  v_stored jsonb;
  v_reservation public.reservations;
  v_vendor public.vendors;
begin
  perform private.enforce_rate_limit();
  v_customer_id := private.require_user();
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_reservation_id is not null, 'reservation_id');
  if p_ttl_seconds is null or p_ttl_seconds not between 1 and 86400 then
    perform private.raise_error('invalid_argument', 400, 'ttl_seconds must be between 1 and 86400', format('ttl_seconds is %s', coalesce(p_ttl_seconds::text, 'null')));
  end if;

  v_arguments := jsonb_build_object('reservation_id', p_reservation_id, 'ttl_seconds', p_ttl_seconds);
  v_stored := private.idempotency_lookup('extend_reservation', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.reservations, v_stored);
  end if;

  -- Only the shopper who holds it: a vendor's members may release a hold, not prolong it.
  v_reservation := private.lock_own_active_reservation(p_reservation_id, v_customer_id);

  select * into v_vendor from public.vendors where id = v_reservation.vendor_id;
  if v_reservation.extension_count >= v_vendor.max_reservation_extensions then
    perform private.raise_error('extension_limit_reached', 409, 'This hold cannot be extended again',
      format('the vendor allows %s extensions per hold; reservation %s has had %s', v_vendor.max_reservation_extensions, p_reservation_id, v_reservation.extension_count),
      'Check out before it expires, or reserve again once it has.');
  end if;

  update public.reservations
  set expires_at = greatest(expires_at, clock_timestamp() + make_interval(secs => least(p_ttl_seconds, v_vendor.reservation_ttl_seconds))),
      extension_count = extension_count + 1
  where id = p_reservation_id
  returning * into v_reservation;

  perform private.idempotency_save('extend_reservation', p_key, v_arguments, to_jsonb(v_reservation));
  return v_reservation;
end;
$$;

-- set_reservation_quantity: as in 20261202001300_set_reservation_quantity.sql, plus the rate limit.
create or replace function public.set_reservation_quantity(
  reservation_id uuid default null,
  quantity integer default null,
  idempotency_key text default null
) returns public.reservations
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_reservation_id uuid := $1;
  p_quantity integer := $2;
  p_key text := $3;
  v_customer_id uuid;
  v_arguments jsonb;
  v_stored jsonb;
  v_reservation public.reservations;
  v_level public.inventory_levels;
  v_delta integer;
begin
  perform private.enforce_rate_limit();
  v_customer_id := private.require_user();
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_reservation_id is not null, 'reservation_id');
  perform private.require_quantity(p_quantity > 0, 'quantity', p_quantity, 'a positive integer');

  v_arguments := jsonb_build_object('reservation_id', p_reservation_id, 'quantity', p_quantity);
  v_stored := private.idempotency_lookup('set_reservation_quantity', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.reservations, v_stored);
  end if;

  v_reservation := private.lock_own_active_reservation(p_reservation_id, v_customer_id);
  -- Other holds on this level that are past their time free their stock first, as in reserve_stock.
  perform private.expire_stale_reservations(array[v_reservation.product_id], array[v_reservation.location_id]);
  -- (Had this one lapsed in the microseconds between the check above and the sweep, it is gone now.)
  perform private.require_active_reservations(array[p_reservation_id]);

  select * into v_reservation from public.reservations where id = p_reservation_id;
  select * into v_level from public.inventory_levels where product_id = v_reservation.product_id and location_id = v_reservation.location_id;
  v_delta := p_quantity - v_reservation.quantity;
  if v_delta > 0 and v_level.available < v_delta then
    perform private.raise_error('insufficient_stock', 409, 'Not enough stock available',
      format('requested %s, at most %s available at one location', p_quantity, v_reservation.quantity + v_level.available));
  end if;

  if v_delta <> 0 then
    update public.inventory_levels set reserved = reserved + v_delta
    where product_id = v_level.product_id and location_id = v_level.location_id
    returning * into v_level;
    update public.reservations set quantity = p_quantity where id = p_reservation_id returning * into v_reservation;
    perform private.record_movement(v_level, case when v_delta > 0 then 'reservation' else 'release' end, 0, v_delta,
      'hold quantity changed', v_reservation.id::text, p_key);
  end if;

  perform private.idempotency_save('set_reservation_quantity', p_key, v_arguments, to_jsonb(v_reservation));
  return v_reservation;
end;
$$;

