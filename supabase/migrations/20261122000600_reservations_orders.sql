-- Reservations hold stock for a shopper until they expire; checkout turns active reservations of
-- one vendor into an order. Only the RPCs write these tables.

create table public.reservations (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid not null,
  product_id uuid not null,
  location_id uuid not null,
  customer_id uuid not null references auth.users (id),
  quantity integer not null,
  status text not null default 'active',
  expires_at timestamptz not null,
  order_id uuid,
  version bigint not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.orders (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid not null references public.vendors (id),
  customer_id uuid not null references auth.users (id),
  status text not null default 'placed',
  total numeric(12, 2) not null,
  item_count integer not null,
  created_at timestamptz not null default now()
);

create table public.order_lines (
  id bigint generated always as identity primary key,
  order_id uuid not null references public.orders (id),
  vendor_id uuid not null references public.vendors (id),
  customer_id uuid not null references auth.users (id),
  reservation_id uuid not null references public.reservations (id),
  product_id uuid not null references public.products (id),
  location_id uuid not null references public.locations (id),
  quantity integer not null,
  unit_price numeric(12, 2) not null,
  line_total numeric(12, 2) generated always as (quantity * unit_price) stored
);

alter table public.reservations
  add constraint reservations_level_fkey foreign key (product_id, location_id) references public.inventory_levels (product_id, location_id),
  add constraint reservations_order_fkey foreign key (order_id) references public.orders (id),
  add constraint reservations_quantity_positive check (quantity > 0),
  add constraint reservations_status_valid check (status in ('active', 'committed', 'released', 'expired')),
  add constraint reservations_committed_has_order check ((status = 'committed') = (order_id is not null));
-- With expires_at, the expiry check of a level reads only its stale reservations.
create index reservations_active_level_expiry_idx on public.reservations (product_id, location_id, expires_at) where status = 'active';
create index reservations_active_expiry_idx on public.reservations (expires_at) where status = 'active';
create index reservations_customer_id_idx on public.reservations (customer_id);
create index reservations_vendor_id_idx on public.reservations (vendor_id);

alter table public.orders
  add constraint orders_status_valid check (status in ('placed')),
  add constraint orders_total_non_negative check (total >= 0),
  add constraint orders_item_count_positive check (item_count > 0);
create index orders_customer_id_idx on public.orders (customer_id);
create index orders_vendor_id_idx on public.orders (vendor_id);

alter table public.order_lines
  add constraint order_lines_reservation_key unique (reservation_id),
  add constraint order_lines_quantity_positive check (quantity > 0),
  add constraint order_lines_unit_price_non_negative check (unit_price >= 0);
create index order_lines_order_id_idx on public.order_lines (order_id);
create index order_lines_customer_id_idx on public.order_lines (customer_id);
create index order_lines_vendor_id_idx on public.order_lines (vendor_id);

create trigger reservations_bump_version before update on public.reservations
  for each row execute function private.bump_version();

alter table public.reservations enable row level security;
alter table public.orders enable row level security;
alter table public.order_lines enable row level security;

revoke all on table public.reservations, public.orders, public.order_lines from anon, authenticated, service_role;
revoke all on sequence public.order_lines_id_seq from anon, authenticated, service_role;
grant select on table public.reservations, public.orders, public.order_lines to authenticated, service_role;

create policy "Customers, their vendor's members and admins can read reservations" on public.reservations
  for select to authenticated
  using (customer_id = (select auth.uid()) or vendor_id in (select private.member_vendor_ids()) or (select private.is_admin()));

create policy "Customers, their vendor's members and admins can read orders" on public.orders
  for select to authenticated
  using (customer_id = (select auth.uid()) or vendor_id in (select private.member_vendor_ids()) or (select private.is_admin()));

create policy "Customers, their vendor's members and admins can read order lines" on public.order_lines
  for select to authenticated
  using (customer_id = (select auth.uid()) or vendor_id in (select private.member_vendor_ids()) or (select private.is_admin()));
