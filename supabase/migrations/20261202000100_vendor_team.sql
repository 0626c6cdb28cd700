-- The people of a vendor, as its members and platform admins may see them: the inventory screens
-- name who changed a count ("set by Vera Vendor") instead of showing a user id. Emails of a
-- vendor's members are visible to that vendor's other members, never to shoppers or other vendors.

create function public.vendor_team(vendor_id uuid default null)
returns table (user_id uuid, email text, display_name text, role text)
language sql
stable
security definer
set search_path = ''
as $$
  select m.user_id, u.email::text,
         coalesce(nullif(btrim(u.raw_user_meta_data ->> 'display_name'), ''), split_part(u.email::text, '@', 1)),
         m.role
  from public.vendor_members m
  join auth.users u on u.id = m.user_id
  where m.vendor_id = $1
    and ($1 in (select private.member_vendor_ids()) or (select private.is_admin()) or (select auth.role()) = 'service_role')
  order by 3, 1
$$;

revoke all on function public.vendor_team(uuid) from public, anon, authenticated, service_role;
grant execute on function public.vendor_team(uuid) to authenticated, service_role;
