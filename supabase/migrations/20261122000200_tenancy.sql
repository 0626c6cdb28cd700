-- Tenancy: vendors and their members. Platform admins are users whose app_metadata.role is
-- 'admin'; customers are authenticated users without a membership.

create table public.vendors (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  -- Upper bound, in seconds, of the reservations shoppers hold on this vendor's stock.
  reservation_ttl_seconds integer not null default 600,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.vendor_members (
  vendor_id uuid not null references public.vendors (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'staff',
  created_at timestamptz not null default now(),
  primary key (vendor_id, user_id)
);

alter table public.vendors
  add constraint vendors_name_length check (char_length(name) between 1 and 200),
  add constraint vendors_reservation_ttl_range check (reservation_ttl_seconds between 60 and 86400);
alter table public.vendor_members
  add constraint vendor_members_role_valid check (role in ('owner', 'staff'));
create index vendor_members_user_id_idx on public.vendor_members (user_id);

create trigger vendors_touch_updated_at before update on public.vendors
  for each row execute function private.touch_updated_at();

alter table public.vendors enable row level security;
alter table public.vendor_members enable row level security;

revoke all on table public.vendors, public.vendor_members from anon, authenticated, service_role;
grant select on table public.vendors, public.vendor_members to authenticated;
grant update (name, reservation_ttl_seconds) on table public.vendors to authenticated;
grant select, insert, update, delete on table public.vendors, public.vendor_members to service_role;

-- Membership helpers for policies: security definer, so they read vendor_members without
-- recursing into its own policies.
create function private.member_vendor_ids() returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select vendor_id from public.vendor_members where user_id = (select auth.uid())
$$;

create function private.owner_vendor_ids() returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select vendor_id from public.vendor_members where user_id = (select auth.uid()) and role = 'owner'
$$;

-- Members manage stock; the service role acts for the platform. Admins only read.
create function private.can_manage_vendor(p_vendor_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select (select auth.role()) = 'service_role'
    or exists (select 1 from public.vendor_members where vendor_id = p_vendor_id and user_id = (select auth.uid()))
$$;

revoke all on function private.member_vendor_ids() from public;
revoke all on function private.owner_vendor_ids() from public;
revoke all on function private.can_manage_vendor(uuid) from public;
grant execute on function private.member_vendor_ids() to authenticated, service_role;
grant execute on function private.owner_vendor_ids() to authenticated, service_role;
