-- Views in public are read models: writes to them must answer PostgREST's 401/403 42501, not 500.
-- Revoking the privileges alone does not do it: Postgres rewrites a write to a view that is not
-- auto-updatable (product_availability joins) and fails with 55000 "cannot insert into view"
-- before it checks privileges, and PostgREST answers 55000 with 500. An INSTEAD OF trigger makes
-- the rewrite succeed, so the privilege check runs and refuses anon (401) and every signed-in
-- role (403). The trigger itself only fires for roles granted a write, which none is; it refuses
-- too. Triggers do not count as auto-updatable, so the generated types are unchanged.

create function private.refuse_view_write() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'permission denied for view %', tg_table_name
    using errcode = '42501', hint = 'This view is read-only; change the underlying data through the API functions.';
end;
$$;

revoke all on function private.refuse_view_write() from public;

revoke all on table public.product_availability from public, anon, authenticated, service_role;
grant select on table public.product_availability to anon, authenticated, service_role;

create trigger product_availability_read_only
  instead of insert or update or delete on public.product_availability
  for each row execute function private.refuse_view_write();
