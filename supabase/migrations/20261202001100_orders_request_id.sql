-- Orders carry what support and the shopper need without reading other tables: the request id of
-- the checkout that placed them (x-request-id, as the ledger records it), and the vendor's name
-- and each line's product name and SKU as they were at checkout. Shoppers may not read vendors,
-- nor a product that was deactivated since, so an order keeps its own copy (as order lines
-- do in Saleor and Shopify).

alter table public.orders
  add column request_id text,
  add column vendor_name text;
alter table public.order_lines
  add column product_name text,
  add column sku text;

update public.orders o set vendor_name = v.name from public.vendors v where v.id = o.vendor_id;
update public.order_lines l set product_name = p.name, sku = p.sku from public.products p where p.id = l.product_id;

alter table public.orders alter column vendor_name set not null;
alter table public.order_lines
  alter column product_name set not null,
  alter column sku set not null;
-- Support looks an order up by the request id a shopper quotes.
create index orders_request_id_idx on public.orders (request_id) where request_id is not null;

-- Unchanged but for the columns above: same arguments, errors, idempotency and lock order.
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
