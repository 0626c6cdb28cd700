-- The ledger explains every counter: on_hand and reserved equal the sums of their deltas, and
-- reserved equals the quantity of active reservations. Rows that disagree are drift.

create function public.stock_drift_report()
returns table (
  product_id uuid,
  location_id uuid,
  vendor_id uuid,
  on_hand integer,
  ledger_on_hand bigint,
  reserved integer,
  ledger_reserved bigint,
  active_reserved bigint
)
language sql
stable
security definer
set search_path = ''
as $$
  select l.product_id, l.location_id, l.vendor_id, l.on_hand, coalesce(m.on_hand, 0), l.reserved,
         coalesce(m.reserved, 0), coalesce(r.quantity, 0)
  from public.inventory_levels l
  left join lateral (
    select sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved from public.stock_movements sm
    where sm.product_id = l.product_id and sm.location_id = l.location_id
  ) m on true
  left join lateral (
    select sum(quantity) as quantity from public.reservations res
    where res.product_id = l.product_id and res.location_id = l.location_id and res.status = 'active'
  ) r on true
  where ((select auth.role()) = 'service_role' or (select private.is_admin())
         or l.vendor_id in (select private.member_vendor_ids()))
    and (l.on_hand <> coalesce(m.on_hand, 0) or l.reserved <> coalesce(m.reserved, 0) or l.reserved <> coalesce(r.quantity, 0))
  order by l.product_id, l.location_id
$$;

revoke all on function public.stock_drift_report() from public, anon, authenticated, service_role;
grant execute on function public.stock_drift_report() to authenticated, service_role;
