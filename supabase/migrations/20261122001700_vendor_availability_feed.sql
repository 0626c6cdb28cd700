-- Live availability for catalog pages. A page that lists many products cannot join one channel
-- per product (Supabase allows 100 channels per connection), so every availability change is
-- also sent on a public topic per vendor:
--   vendor:<vendor_id>:availability  public; event `availability`, payload {product_id, available,
--                                    version}: exactly what product:<product_id>:availability carries.
-- The availability view also gains `low_stock_threshold` (anon already reads it on products), so
-- a catalog shows low stock from one query; still no on_hand, reserved or locations.

create or replace view public.product_availability with (security_barrier = true) as
select
  p.id as product_id,
  p.vendor_id,
  v.name as vendor_name,
  p.sku,
  p.name,
  p.description,
  p.price,
  coalesce(s.available, 0)::integer as available,
  coalesce(s.version, 0)::bigint as version,
  p.low_stock_threshold
from public.products p
join public.vendors v on v.id = p.vendor_id
left join lateral (
  select sum(l.available + coalesce(stale.quantity, 0)) as available, sum(l.version) as version
  from public.inventory_levels l
  left join lateral (
    select sum(r.quantity) as quantity from public.reservations r
    where r.product_id = l.product_id and r.location_id = l.location_id
      and r.status = 'active' and r.expires_at <= now()
  ) stale on true
  where l.product_id = p.id
) s on true
where p.active;

-- The level trigger reads the product's availability once and sends it to both public topics.
create or replace function private.broadcast_stock_level() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_availability record;
  v_payload jsonb;
begin
  perform realtime.send(
    jsonb_build_object(
      'product_id', new.product_id, 'location_id', new.location_id, 'on_hand', new.on_hand,
      'reserved', new.reserved, 'available', new.available, 'version', new.version, 'updated_at', new.updated_at
    ),
    'stock_level', format('vendor:%s:stock', new.vendor_id), true
  );
  select available, version into v_availability from public.product_availability where product_id = new.product_id;
  if found then
    v_payload := jsonb_build_object('product_id', new.product_id, 'available', v_availability.available, 'version', v_availability.version);
    perform realtime.send(v_payload, 'availability', format('product:%s:availability', new.product_id), false);
    perform realtime.send(v_payload, 'availability', format('vendor:%s:availability', new.vendor_id), false);
  end if;
  return null;
end;
$$;

revoke all on function private.broadcast_stock_level() from public;
