-- Recovery of a lost second factor (issue 12): a platform admin, after checking who is asking,
-- removes a user's MFA factors so they can sign in with their password and enrol again. The
-- browser never holds the service key, so this is a function: SECURITY DEFINER, for platform
-- admins only, and removal only from an aal2 session (the admin proved their own second factor).
--
-- The aal2 check is inline (`auth.jwt() ->> 'aal'`) rather than a shared helper: it is stricter
-- than "aal2 when the caller has a factor" on purpose; an admin without a factor cannot remove
-- anyone's. plpgsql, so the bodies may name auth.mfa_factors before the Auth schema has it
-- (GoTrue creates it on hosted Supabase; stack/auth/schema.sql on the local stack).
--
-- Errors (supabase/README.md, Error catalog): 403 admin_required, 403 aal2_required,
-- 400 invalid_argument, 404 user_not_found.

create function private.require_platform_admin() returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not coalesce((select private.is_admin()), false) then
    perform private.raise_error('admin_required', 403, 'Only platform admins can manage other users'' sign-in',
      'the caller is not a platform admin', 'Sign in as a user whose app_metadata.role is admin.');
  end if;
end;
$$;

-- The account with this email (case-insensitive) and its factors, one row per factor; an account
-- without factors is one row with null factor columns; no account, no rows.
create function public.admin_user_factors(p_email text)
returns table (user_id uuid, email text, factor_id uuid, factor_type text, friendly_name text, status text, created_at timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_platform_admin();
  if p_email is null or btrim(p_email) = '' or length(p_email) > 320 then
    perform private.raise_error('invalid_argument', 400, 'p_email must be an email address', format('p_email is %s', coalesce(quote_literal(left(p_email, 40)), 'null')));
  end if;
  return query
    select u.id, u.email::text, f.id, f.factor_type::text, f.friendly_name, f.status::text, f.created_at
    from auth.users u
    left join auth.mfa_factors f on f.user_id = u.id
    where lower(u.email) = lower(btrim(p_email)) and u.deleted_at is null
    order by f.created_at nulls first, f.id;
end;
$$;

-- Removes every factor of the user (verified or not; their challenges go with them) and answers
-- how many. Sessions stay: the user's own sessions are aal1 anyway once the factor is lost.
create function public.admin_remove_user_factors(p_user_id uuid)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_removed integer;
begin
  perform private.require_platform_admin();
  if coalesce((select auth.jwt()) ->> 'aal', 'aal1') <> 'aal2' then
    perform private.raise_error('aal2_required', 403, 'Removing a user''s two-factor needs your own two-factor sign-in',
      'the caller''s session is not aal2', 'Set up an authenticator app on your account and sign in with its code.');
  end if;
  if p_user_id is null then
    perform private.raise_error('invalid_argument', 400, 'p_user_id is required', 'p_user_id is null');
  end if;
  if not exists (select 1 from auth.users where id = p_user_id) then
    perform private.raise_error('user_not_found', 404, 'No such user', format('no user has id %s', p_user_id));
  end if;
  delete from auth.mfa_factors where user_id = p_user_id;
  get diagnostics v_removed = row_count;
  return v_removed;
end;
$$;

revoke all on function private.require_platform_admin() from public, anon, authenticated, service_role;
revoke all on function public.admin_user_factors(text) from public, anon, authenticated, service_role;
revoke all on function public.admin_remove_user_factors(uuid) from public, anon, authenticated, service_role;
grant execute on function public.admin_user_factors(text) to authenticated;
grant execute on function public.admin_remove_user_factors(uuid) to authenticated;
