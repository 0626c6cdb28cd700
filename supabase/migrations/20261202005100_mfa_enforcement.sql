-- Two-factor where it matters. A session's assurance level is the JWT's `aal` claim, which Auth
-- sets to aal2 once the user verified a second factor in this session.
--   * Platform admins who enrolled a verified factor must use it: at aal1 they are not admins
--     (RLS reads) and the monitoring API answers 403 mfa_required.
--   * A vendor's owners may require two-factor for their team (`vendors.require_mfa`): then its
--     members act as members only with an aal2 session (stock changes, the vendor's rows, its
--     realtime topics, the team). They still see that they belong to it (their membership row and
--     the vendor's name), so the app can tell them to set up or use two-factor.
-- Helpers are redefined in place, so every policy and function that calls them follows.

alter table public.vendors add column require_mfa boolean not null default false;

-- The check Supabase documents: an aal2 session, or no verified factor to ask for.
create function private.mfa_satisfied() returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select auth.jwt()) ->> 'aal', '') = 'aal2'
    or not exists (select 1 from auth.mfa_factors where user_id = (select auth.uid()) and status = 'verified')
$$;

create function private.session_is_aal2() returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select auth.jwt()) ->> 'aal', '') = 'aal2'
$$;

revoke all on function private.mfa_satisfied() from public;
revoke all on function private.session_is_aal2() from public;
grant execute on function private.mfa_satisfied() to anon, authenticated, service_role;
grant execute on function private.session_is_aal2() to anon, authenticated, service_role;

create or replace function private.is_admin() returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((select auth.jwt()) -> 'app_metadata' ->> 'role' = 'admin', false) and private.mfa_satisfied()
$$;

create or replace function private.require_admin() returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if (select auth.role()) = 'service_role' then
    return;
  end if;
  if not coalesce((select auth.jwt()) -> 'app_metadata' ->> 'role' = 'admin', false) then
    perform private.raise_error('admin_required', 403, 'Only platform admins can read monitoring data',
      'the caller is not a platform admin', 'Sign in as a user whose app_metadata.role is admin.');
  end if;
  if not private.mfa_satisfied() then
    perform private.raise_error('mfa_required', 403, 'Verify your second factor to read monitoring data',
      'the admin has a verified factor and this session is aal1', 'Sign in again with your authenticator code (aal2).');
  end if;
end;
$$;

-- Vendors whose membership the session may use: all of the user's, but those requiring two-factor
-- only from an aal2 session.
create or replace function private.member_vendor_ids() returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.vendor_id from public.vendor_members m join public.vendors v on v.id = m.vendor_id
  where m.user_id = (select auth.uid()) and (not v.require_mfa or private.session_is_aal2())
$$;

create or replace function private.owner_vendor_ids() returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.vendor_id from public.vendor_members m join public.vendors v on v.id = m.vendor_id
  where m.user_id = (select auth.uid()) and m.role = 'owner' and (not v.require_mfa or private.session_is_aal2())
$$;

create or replace function private.can_manage_vendor(p_vendor_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select (select auth.role()) = 'service_role' or p_vendor_id in (select private.member_vendor_ids())
$$;

-- Every vendor the user belongs to, whatever the session: to read one's own membership and the
-- vendor's name (not its stock or people) and be told why it is locked.
create function private.all_member_vendor_ids() returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select vendor_id from public.vendor_members where user_id = (select auth.uid())
$$;
revoke all on function private.all_member_vendor_ids() from public;
grant execute on function private.all_member_vendor_ids() to authenticated, service_role;

create policy "Users can read their own memberships" on public.vendor_members
  for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Members can read their vendor even before two-factor" on public.vendors
  for select to authenticated
  using (id in (select private.all_member_vendor_ids()));

-- 403 mfa_required for a member (of the vendor) whose session the vendor's rule refuses.
create function private.require_vendor_mfa(p_vendor_id uuid) returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if (select auth.role()) <> 'service_role'
     and exists (select 1 from public.vendors where id = p_vendor_id and require_mfa)
     and p_vendor_id in (select private.all_member_vendor_ids())
     and not private.session_is_aal2() then
    perform private.raise_error('mfa_required', 403, 'This vendor requires two-factor authentication',
      'the vendor requires an aal2 session of its members', 'Set up two-factor in your account, then sign in with your authenticator code.');
  end if;
end;
$$;
revoke all on function private.require_vendor_mfa(uuid) from public;

-- As in 20261122000900, with 403 mfa_required (before forbidden) for a member without aal2.
create or replace function private.authorize_stock_change(p_product_id uuid, p_location_id uuid) returns uuid
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_vendor_id uuid;
begin
  select vendor_id into v_vendor_id from public.products where id = p_product_id;
  if not found then
    perform private.raise_error('product_not_found', 404, 'No such product', format('product %s does not exist', p_product_id));
  end if;
  perform private.require_vendor_mfa(v_vendor_id);
  if not private.can_manage_vendor(v_vendor_id) then
    perform private.raise_error('forbidden', 403, 'Only members of this product''s vendor can change its stock');
  end if;
  if not exists (select 1 from public.locations where id = p_location_id and vendor_id = v_vendor_id) then
    perform private.raise_error('location_not_found', 404, 'No such location for this vendor',
      format('location %s does not belong to the product''s vendor', p_location_id));
  end if;
  return v_vendor_id;
end;
$$;

-- As in 20261202005000, with the vendor's two-factor rule.
create or replace function private.require_owner(p_vendor_id uuid) returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if (select auth.role()) = 'service_role' then
    return;
  end if;
  perform private.require_vendor_mfa(p_vendor_id);
  if p_vendor_id is null or not exists (
    select 1 from public.vendor_members where vendor_id = p_vendor_id and user_id = (select auth.uid()) and role = 'owner'
  ) then
    perform private.raise_error('owner_required', 403, 'Only owners of this vendor can manage its team',
      'the caller is not an owner of this vendor');
  end if;
end;
$$;

-- Owners turn the rule on or off, from an aal2 session (turning it on from aal1 would lock them out).
create function public.set_team_mfa_requirement(
  vendor_id uuid default null,
  required boolean default null,
  idempotency_key text default null
) returns public.vendors
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_vendor_id uuid := $1;
  p_required boolean := $2;
  p_key text := $3;
  v_vendor public.vendors;
  v_arguments jsonb;
  v_stored jsonb;
begin
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_vendor_id is not null, 'vendor_id');
  perform private.require_owner(p_vendor_id);
  perform private.require_argument(p_required is not null, 'required');
  if (select auth.role()) <> 'service_role' and not private.session_is_aal2() then
    perform private.raise_error('mfa_required', 403, 'Use two-factor yourself before changing the team''s rule',
      'this session is aal1', 'Set up two-factor in your account and sign in with your authenticator code.');
  end if;
  v_arguments := jsonb_build_object('vendor_id', p_vendor_id, 'required', p_required);
  v_stored := private.idempotency_lookup('set_team_mfa_requirement', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.vendors, v_stored);
  end if;
  update public.vendors set require_mfa = p_required where id = p_vendor_id returning * into v_vendor;
  perform private.idempotency_save('set_team_mfa_requirement', p_key, v_arguments, to_jsonb(v_vendor));
  return v_vendor;
end;
$$;

revoke all on function public.set_team_mfa_requirement(uuid, boolean, text) from public, anon, authenticated, service_role;
grant execute on function public.set_team_mfa_requirement(uuid, boolean, text) to authenticated, service_role;
