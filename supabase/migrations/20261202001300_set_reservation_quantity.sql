-- Changes how many units a shopper's active reservation holds, in place: at its own location,
-- keeping its expiry. Releasing and reserving again would let another shopper take the units in
-- between; reserving the difference would split one cart line into holds with different
-- expiries. More units need that many available at the reservation's location (409
-- insufficient_stock says how many the line can hold at most); fewer units return the rest at
-- once. The ledger records the difference as a `reservation` (more) or `release` (fewer).

create function public.set_reservation_quantity(
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

revoke all on function public.set_reservation_quantity(uuid, integer, text) from public, anon, authenticated, service_role;
grant execute on function public.set_reservation_quantity(uuid, integer, text) to authenticated;
