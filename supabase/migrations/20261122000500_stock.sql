-- Stock: one counter row per (product, location) and the append-only ledger that explains it.
-- Only the RPCs (security definer) write here; API roles can read under RLS.

create table public.inventory_levels (
  product_id uuid not null,
  location_id uuid not null,
  vendor_id uuid not null,
  on_hand integer not null default 0,
  reserved integer not null default 0,
  available integer generated always as (on_hand - reserved) stored,
  -- Increases with every change of the row; events carry it so clients drop stale ones.
  version bigint not null default 1,
  updated_at timestamptz not null default now(),
  primary key (product_id, location_id)
);

create table public.stock_movements (
  id bigint generated always as identity primary key,
  vendor_id uuid not null,
  product_id uuid not null,
  location_id uuid not null,
  kind text not null,
  on_hand_delta integer not null default 0,
  reserved_delta integer not null default 0,
  reason text,
  -- The reservation or order the movement belongs to.
  reference text,
  actor_id uuid,
  actor_role text,
  request_id text,
  idempotency_key text,
  -- The level's version right after this movement.
  level_version bigint not null,
  created_at timestamptz not null default now()
);

alter table public.inventory_levels
  add constraint inventory_levels_product_fkey foreign key (vendor_id, product_id) references public.products (vendor_id, id),
  add constraint inventory_levels_location_fkey foreign key (vendor_id, location_id) references public.locations (vendor_id, id),
  add constraint inventory_levels_on_hand_non_negative check (on_hand >= 0),
  add constraint inventory_levels_reserved_non_negative check (reserved >= 0),
  add constraint inventory_levels_reserved_within_on_hand check (reserved <= on_hand);
create index inventory_levels_vendor_id_idx on public.inventory_levels (vendor_id);
create index inventory_levels_location_id_idx on public.inventory_levels (location_id);

alter table public.stock_movements
  add constraint stock_movements_level_fkey foreign key (product_id, location_id) references public.inventory_levels (product_id, location_id),
  add constraint stock_movements_kind_valid check (kind in ('adjustment', 'reservation', 'release', 'expiry', 'sale', 'restock')),
  add constraint stock_movements_changes_something check (on_hand_delta <> 0 or reserved_delta <> 0);
create index stock_movements_level_idx on public.stock_movements (product_id, location_id, id);
create index stock_movements_vendor_id_idx on public.stock_movements (vendor_id, id);

alter table public.inventory_levels enable row level security;
alter table public.stock_movements enable row level security;

revoke all on table public.inventory_levels, public.stock_movements from anon, authenticated, service_role;
revoke all on sequence public.stock_movements_id_seq from anon, authenticated, service_role;
grant select on table public.inventory_levels, public.stock_movements to authenticated, service_role;

create policy "Members and admins can read stock levels" on public.inventory_levels
  for select to authenticated
  using (vendor_id in (select private.member_vendor_ids()) or (select private.is_admin()));

create policy "Members and admins can read the stock ledger" on public.stock_movements
  for select to authenticated
  using (vendor_id in (select private.member_vendor_ids()) or (select private.is_admin()));

create function private.bump_version() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.version := old.version + 1;
  new.updated_at := now();
  return new;
end;
$$;

create function private.forbid_ledger_rewrite() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  raise exception 'stock_movements is append-only' using errcode = 'restrict_violation',
    hint = 'Record a compensating movement instead.';
end;
$$;

create trigger inventory_levels_bump_version before update on public.inventory_levels
  for each row execute function private.bump_version();
create trigger stock_movements_append_only before update or delete on public.stock_movements
  for each row execute function private.forbid_ledger_rewrite();
create trigger stock_movements_no_truncate before truncate on public.stock_movements
  for each statement execute function private.forbid_ledger_rewrite();

-- Appends one movement for a level that the caller has just changed (and holds locked).
create function private.record_movement(
  p_level public.inventory_levels,
  p_kind text,
  p_on_hand_delta integer,
  p_reserved_delta integer,
  p_reason text,
  p_reference text,
  p_idempotency_key text
) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.stock_movements (
    vendor_id, product_id, location_id, kind, on_hand_delta, reserved_delta, reason, reference,
    actor_id, actor_role, request_id, idempotency_key, level_version
  ) values (
    p_level.vendor_id, p_level.product_id, p_level.location_id, p_kind, p_on_hand_delta, p_reserved_delta,
    p_reason, p_reference, auth.uid(), coalesce(auth.role(), session_user),
    nullif(current_setting('request.headers', true), '')::json ->> 'x-request-id',
    p_idempotency_key, p_level.version
  );
end;
$$;

revoke all on function private.bump_version() from public;
revoke all on function private.forbid_ledger_rewrite() from public;
revoke all on function private.record_movement(public.inventory_levels, text, integer, integer, text, text, text) from public;
