-- Product and location changes reach the vendor's private stock feed too (vendor:<id>:stock,
-- members and admins only, by the policy on realtime.messages), so every member's inventory shows
-- a teammate's edit (name, price, threshold, active), a new product or a new location without a
-- reload. Sent in the writing transaction, like the stock events: only committed changes go out.

create function private.broadcast_product() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(
    jsonb_build_object(
      'id', new.id, 'sku', new.sku, 'name', new.name, 'description', new.description, 'price', new.price,
      'low_stock_threshold', new.low_stock_threshold, 'active', new.active, 'updated_at', new.updated_at
    ),
    'product', format('vendor:%s:stock', new.vendor_id), true
  );
  return null;
end;
$$;

create function private.broadcast_location() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform realtime.send(jsonb_build_object('id', new.id, 'name', new.name), 'location', format('vendor:%s:stock', new.vendor_id), true);
  return null;
end;
$$;

create trigger products_broadcast after insert or update on public.products
  for each row execute function private.broadcast_product();
create trigger locations_broadcast after insert or update on public.locations
  for each row execute function private.broadcast_location();

revoke all on function private.broadcast_product() from public;
revoke all on function private.broadcast_location() from public;
