-- The shopper's cart, read in one call: their holds with what the cart shows of each (vendor and
-- product names, price, how much more is available, whether it can still be extended). Shoppers
-- may not read vendors, nor products the vendor has deactivated since, so the function reads them
-- for the caller and returns the caller's own reservations only: RLS on the tables is unchanged.
--
-- Lines: every active reservation, and each hold that lapsed in the last 30 minutes (status
-- expired, or active past expires_at before the sweeper ran) unless the shopper has reserved that
-- product again after it lapsed, so the cart can say "Hold expired" and offer to try again, also after a
-- reload. `server_time` lets the client count down on the server's clock, not its own.

create function public.cart_lines()
returns table (
  reservation_id uuid,
  vendor_id uuid,
  vendor_name text,
  product_id uuid,
  product_name text,
  sku text,
  unit_price numeric,
  quantity integer,
  status text,
  expires_at timestamptz,
  created_at timestamptz,
  version bigint,
  extensions_left integer,
  hold_seconds integer,
  for_sale boolean,
  available integer,
  availability_version bigint,
  low_stock_threshold integer,
  server_time timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_customer_id uuid := private.require_user();
  v_now timestamptz := clock_timestamp();
begin
  return query
  select r.id, r.vendor_id, v.name, r.product_id, p.name, p.sku, p.price, r.quantity,
         case when r.status = 'active' and r.expires_at > v_now then 'active' else 'expired' end,
         r.expires_at, r.created_at, r.version,
         greatest(v.max_reservation_extensions - r.extension_count, 0),
         v.reservation_ttl_seconds,
         p.active,
         coalesce(a.available, 0),
         coalesce(a.version, 0)::bigint,
         p.low_stock_threshold,
         v_now
  from public.reservations r
  join public.products p on p.id = r.product_id
  join public.vendors v on v.id = r.vendor_id
  left join public.product_availability a on a.product_id = r.product_id
  where r.customer_id = v_customer_id
    and (
      (r.status = 'active' and r.expires_at > v_now)
      or (r.status in ('active', 'expired') and r.expires_at > v_now - interval '30 minutes'
          and not exists (select 1 from public.reservations later
                          where later.customer_id = v_customer_id and later.product_id = r.product_id and later.created_at >= r.expires_at))
    )
  order by v.name, r.vendor_id, r.created_at, r.id;
end;
$$;

revoke all on function public.cart_lines() from public, anon, authenticated, service_role;
grant execute on function public.cart_lines() to authenticated;
