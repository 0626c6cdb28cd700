-- Policies on the tenancy tables (a migration of their own: they call the helpers created above).

create policy "Members and admins can read vendors" on public.vendors
  for select to authenticated
  using (id in (select private.member_vendor_ids()) or (select private.is_admin()));

create policy "Owners can update their vendor" on public.vendors
  for update to authenticated
  using (id in (select private.owner_vendor_ids()))
  with check (id in (select private.owner_vendor_ids()));

create policy "Members and admins can read vendor memberships" on public.vendor_members
  for select to authenticated
  using (vendor_id in (select private.member_vendor_ids()) or (select private.is_admin()));
