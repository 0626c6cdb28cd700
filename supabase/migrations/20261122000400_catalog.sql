-- Catalog: products and locations (warehouses, stores) of a vendor. Members write them directly
-- under RLS; nobody deletes them through the API (deactivate a product instead), since the
-- ledger refers to them.

create table public.products (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid not null references public.vendors (id),
  sku text not null,
  name text not null,
  description text not null default '',
  price numeric(12, 2) not null,
  low_stock_threshold integer not null default 5,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.locations (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid not null references public.vendors (id),
  name text not null,
  created_at timestamptz not null default now()
);

alter table public.products
  add constraint products_vendor_sku_key unique (vendor_id, sku),
  -- Target of composite foreign keys that keep a stock row inside its product's vendor.
  add constraint products_vendor_id_id_key unique (vendor_id, id),
  add constraint products_sku_format check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  add constraint products_name_length check (char_length(name) between 1 and 200),
  add constraint products_description_length check (char_length(description) <= 5000),
  add constraint products_price_non_negative check (price >= 0),
  add constraint products_low_stock_threshold_non_negative check (low_stock_threshold >= 0);
alter table public.locations
  add constraint locations_vendor_name_key unique (vendor_id, name),
  add constraint locations_vendor_id_id_key unique (vendor_id, id),
  add constraint locations_name_length check (char_length(name) between 1 and 200);
create index products_active_idx on public.products (active) where active;

create trigger products_touch_updated_at before update on public.products
  for each row execute function private.touch_updated_at();

alter table public.products enable row level security;
alter table public.locations enable row level security;

revoke all on table public.products, public.locations from anon, authenticated, service_role;
grant select on table public.products to anon;
grant select on table public.products, public.locations to authenticated;
grant insert (vendor_id, sku, name, description, price, low_stock_threshold, active) on table public.products to authenticated;
grant update (sku, name, description, price, low_stock_threshold, active) on table public.products to authenticated;
grant insert (vendor_id, name) on table public.locations to authenticated;
grant update (name) on table public.locations to authenticated;
grant select, insert, update on table public.products, public.locations to service_role;

create policy "Anyone can read active products" on public.products
  for select to anon
  using (active);

create policy "Shoppers read active products, members and admins read all of theirs" on public.products
  for select to authenticated
  using (active or vendor_id in (select private.member_vendor_ids()) or (select private.is_admin()));

create policy "Vendor members can add products" on public.products
  for insert to authenticated
  with check (vendor_id in (select private.member_vendor_ids()));

create policy "Vendor members can update their products" on public.products
  for update to authenticated
  using (vendor_id in (select private.member_vendor_ids()))
  with check (vendor_id in (select private.member_vendor_ids()));

create policy "Members and admins can read locations" on public.locations
  for select to authenticated
  using (vendor_id in (select private.member_vendor_ids()) or (select private.is_admin()));

create policy "Vendor members can add locations" on public.locations
  for insert to authenticated
  with check (vendor_id in (select private.member_vendor_ids()));

create policy "Vendor members can update their locations" on public.locations
  for update to authenticated
  using (vendor_id in (select private.member_vendor_ids()))
  with check (vendor_id in (select private.member_vendor_ids()));
