-- Vendor stock RPCs: adjust_stock (relative) and set_stock (compare-and-set on version).
-- Both lock the level row, expire its stale reservations, write the counter and the ledger in
-- one transaction and store their result under the idempotency key.

-- The product's vendor when the caller may change this product's stock at this location:
-- 404 for an unknown product or a location outside the product's vendor, 403 for non-members.
create function private.authorize_stock_change(p_product_id uuid, p_location_id uuid) returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_vendor_id uuid;
begin
  select vendor_id into v_vendor_id from public.products where id = p_product_id;
  if not found then
    perform private.raise_error('product_not_found', 404, 'No such product', format('product %s does not exist', p_product_id));
  end if;
  if not private.can_manage_vendor(v_vendor_id) then
    perform private.raise_error('forbidden', 403, 'Only members of this product''s vendor can change its stock');
  end if;
  if not exists (select 1 from public.locations where id = p_location_id and vendor_id = v_vendor_id) then
    perform private.raise_error('location_not_found', 404, 'No such location for this vendor',
      format('location %s does not belong to the product''s vendor', p_location_id));
  end if;
  return v_vendor_id;
end;
$$;

create function private.require_argument(p_present boolean, p_name text) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not coalesce(p_present, false) then
    perform private.raise_error('invalid_argument', 400, format('%s is required', p_name), format('%s is missing or null', p_name));
  end if;
end;
$$;

-- 400 invalid_quantity unless p_valid; null (the quantity is missing) counts as not valid.
create function private.require_quantity(p_valid boolean, p_name text, p_value integer, p_rule text) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if not coalesce(p_valid, false) then
    perform private.raise_error('invalid_quantity', 400, format('%s must be %s', p_name, p_rule),
      format('%s is %s', p_name, coalesce(p_value::text, 'missing')));
  end if;
end;
$$;

revoke all on function private.authorize_stock_change(uuid, uuid) from public;
revoke all on function private.require_argument(boolean, text) from public;
revoke all on function private.require_quantity(boolean, text, integer, text) from public;

create function public.adjust_stock(
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

create function public.set_stock(
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

revoke all on function public.adjust_stock(uuid, uuid, integer, text, text) from public, anon, authenticated, service_role;
revoke all on function public.set_stock(uuid, uuid, integer, bigint, text) from public, anon, authenticated, service_role;
grant execute on function public.adjust_stock(uuid, uuid, integer, text, text) to authenticated, service_role;
grant execute on function public.set_stock(uuid, uuid, integer, bigint, text) to authenticated, service_role;
