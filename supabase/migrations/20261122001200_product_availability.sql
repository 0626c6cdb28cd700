-- What shoppers and anon see of stock: per active product, the quantity available across its
-- locations, a version that grows with every change of its stock rows, and the product's
-- low-stock threshold (anon reads it on products too). No on_hand, no reserved, no locations. Reservations past their expiry count as available even before the
-- sweeper runs.
--
-- Deliberately a definer view (owned by postgres, not security_invoker): it reads
-- inventory_levels and reservations, which anon cannot read, and exposes only these columns of
-- active products.

create view public.product_availability with (security_barrier = true) as
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

revoke all on table public.product_availability from anon, authenticated, service_role;
grant select on table public.product_availability to anon, authenticated, service_role;
