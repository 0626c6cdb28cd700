-- Live-stock feeds through Realtime Broadcast from the database (realtime.send):
--   vendor:<vendor_id>:stock           private; every stock level and reservation change of the
--                                      vendor; members (and admins) may join, by RLS below.
--   product:<product_id>:availability  public; the product's available quantity and version,
--                                      the same figures as public.product_availability.
--   vendor:<vendor_id>:availability   public; the same payload for every product of the vendor,
--                                      for catalog pages: a page listing many products cannot join
--                                      one channel per product (Supabase allows 100 per connection).
-- Every payload carries the row's version so clients drop stale or duplicate events. Messages
-- are inserted in the writing transaction, so they go out only if it commits.

create function private.stock_topic_vendor_id(p_topic text) returns uuid
language sql
immutable
security definer
set search_path = ''
as $$
  select case when p_topic ~ '^vendor:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:stock$'
    then split_part(p_topic, ':', 2)::uuid end
$$;

create policy "Vendor members and admins can receive their vendor's stock feed" on realtime.messages
  for select to authenticated
  using (
    extension = 'broadcast'
    and (
      private.stock_topic_vendor_id((select realtime.topic())) in (select private.member_vendor_ids())
      or (private.stock_topic_vendor_id((select realtime.topic())) is not null and (select private.is_admin()))
    )
  );

create function private.broadcast_stock_level() returns trigger
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

create function private.broadcast_reservation() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object(
      'id', new.id, 'product_id', new.product_id, 'location_id', new.location_id, 'customer_id', new.customer_id,
      'quantity', new.quantity, 'status', new.status, 'expires_at', new.expires_at, 'order_id', new.order_id,
      'version', new.version, 'updated_at', new.updated_at
    ),
    'reservation', format('vendor:%s:stock', new.vendor_id), true
  );
  return null;
end;
$$;

create trigger inventory_levels_broadcast after insert or update on public.inventory_levels
  for each row execute function private.broadcast_stock_level();
create trigger reservations_broadcast after insert or update on public.reservations
  for each row execute function private.broadcast_reservation();

revoke all on function private.stock_topic_vendor_id(text) from public;
revoke all on function private.broadcast_stock_level() from public;
revoke all on function private.broadcast_reservation() from public;
grant execute on function private.stock_topic_vendor_id(text) to authenticated;
