-- A private Realtime topic per shopper, customer:<user_id>:cart, carrying every change of their
-- reservations (the same `reservation` payload as the vendor's stock feed), so an open cart
-- follows holds made, changed, expired or checked out anywhere (another tab, another device, the
-- sweeper). Only that user may join it; not their vendor's members, not admins.

create function private.cart_topic_user_id(p_topic text) returns uuid
language sql
immutable
security definer
set search_path = ''
as $$
  select case when p_topic ~ '^customer:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:cart$'
    then split_part(p_topic, ':', 2)::uuid end
$$;

create policy "Shoppers can receive their own cart feed" on realtime.messages
  for select to authenticated
  using (extension = 'broadcast' and private.cart_topic_user_id((select realtime.topic())) = (select auth.uid()));

-- As before, plus the same message on the shopper's topic.
create or replace function private.broadcast_reservation() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_payload jsonb := jsonb_build_object(
    'id', new.id, 'product_id', new.product_id, 'location_id', new.location_id, 'customer_id', new.customer_id,
    'quantity', new.quantity, 'status', new.status, 'expires_at', new.expires_at, 'order_id', new.order_id,
    'version', new.version, 'updated_at', new.updated_at
  );
begin
  perform realtime.send(v_payload, 'reservation', format('vendor:%s:stock', new.vendor_id), true);
  perform realtime.send(v_payload, 'reservation', format('customer:%s:cart', new.customer_id), true);
  return null;
end;
$$;

revoke all on function private.cart_topic_user_id(text) from public;
grant execute on function private.cart_topic_user_id(text) to authenticated;
