-- "Keep holding": the shopper who holds a reservation pushes its expiry out again, before it
-- lapses, as often as the vendor allows (vendors.max_reservation_extensions). The new expiry is
-- now + least(ttl_seconds, the vendor's reservation_ttl_seconds), never earlier than the current
-- one. No stock moves, so the ledger is untouched; the reservation's version grows and the
-- vendor's feed sees the new expiry.
--
-- Lock order as everywhere: the idempotency key's advisory lock, the reservation's level, then the
-- reservation, so an extension and the sweeper (or a checkout) of the same hold never deadlock.

-- The caller's own reservation, locked in that order (its level, then itself) and required
-- active and unexpired: 404 reservation_not_found when it is not the caller's, 409 when it is over.
create function private.lock_own_active_reservation(p_reservation_id uuid, p_customer_id uuid) returns public.reservations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_reservation public.reservations;
begin
  select * into v_reservation from public.reservations where id = p_reservation_id and customer_id = p_customer_id;
  if not found then
    perform private.raise_error('reservation_not_found', 404, 'No such reservation', format('reservation %s does not exist or is not yours', p_reservation_id));
  end if;
  perform 1 from public.inventory_levels
  where product_id = v_reservation.product_id and location_id = v_reservation.location_id
  for update;
  select * into v_reservation from public.reservations where id = p_reservation_id for update;
  perform private.require_active_reservations(array[p_reservation_id]);
  return v_reservation;
end;
$$;

revoke all on function private.lock_own_active_reservation(uuid, uuid) from public;

create function public.extend_reservation(
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

revoke all on function public.extend_reservation(uuid, text, integer) from public, anon, authenticated, service_role;
grant execute on function public.extend_reservation(uuid, text, integer) to authenticated;
