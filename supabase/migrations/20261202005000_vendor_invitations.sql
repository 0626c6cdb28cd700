-- Vendor teams: owners invite people by email (a link with a single-use token that expires),
-- revoke invitations, change members' roles and remove members; the invitee accepts with the
-- token once signed in with the invited, verified email. Every rule is enforced here; tables are
-- written only by these functions.
--
-- Only a SHA-256 of each token is stored: nobody, not even an owner, an admin or a database dump,
-- can read a usable link back. The owner sees the link once, when creating the invitation (and on
-- an idempotent replay of that call); a lost link is replaced by inviting the same email again,
-- which revokes the previous pending invitation.

create table public.vendor_invitations (
  id uuid primary key default gen_random_uuid(),
  vendor_id uuid not null references public.vendors (id) on delete cascade,
  email text not null,
  role text not null,
  token_hash bytea not null unique,
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  constraint vendor_invitations_role_valid check (role in ('owner', 'staff')),
  constraint vendor_invitations_email_valid check (email = lower(email) and char_length(email) between 3 and 320),
  constraint vendor_invitations_one_outcome check (accepted_at is null or revoked_at is null)
);

-- At most one pending (neither accepted nor revoked) invitation per vendor and email.
create unique index vendor_invitations_pending_email_idx on public.vendor_invitations (vendor_id, email)
  where accepted_at is null and revoked_at is null;

alter table public.vendor_invitations enable row level security;
revoke all on table public.vendor_invitations from anon, authenticated, service_role;
-- Every column but the token's hash.
grant select (id, vendor_id, email, role, invited_by, created_at, expires_at, accepted_at, accepted_by, revoked_at)
  on table public.vendor_invitations to authenticated;
grant select, insert, update, delete on table public.vendor_invitations to service_role;

create policy "Owners and admins can read their vendor's invitations" on public.vendor_invitations
  for select to authenticated
  using (vendor_id in (select private.owner_vendor_ids()) or (select private.is_admin()));

-- 403 owner_required unless the caller owns the vendor (the service role acts for the platform).
-- An unknown vendor gets the same answer, so nobody learns which vendors exist.
create function private.require_owner(p_vendor_id uuid) returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if (select auth.role()) = 'service_role' then
    return;
  end if;
  if p_vendor_id is null or not exists (
    select 1 from public.vendor_members where vendor_id = p_vendor_id and user_id = (select auth.uid()) and role = 'owner'
  ) then
    perform private.raise_error('owner_required', 403, 'Only owners of this vendor can manage its team',
      'the caller is not an owner of this vendor');
  end if;
end;
$$;

create function private.require_role(p_role text) returns void
language plpgsql
immutable
security definer
set search_path = ''
as $$
begin
  if p_role is null or p_role not in ('owner', 'staff') then
    perform private.raise_error('invalid_argument', 400, 'role must be owner or staff', format('role is %s', coalesce(p_role, 'missing')));
  end if;
end;
$$;

create function private.invitation_token_hash(p_token text) returns bytea
language sql
immutable
security definer
set search_path = ''
as $$
  select sha256(convert_to(p_token, 'UTF8'))
$$;

-- The invitation a token names, locked; 404 when no invitation has this token.
create function private.invitation_by_token(p_token text, p_lock boolean) returns public.vendor_invitations
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invitation public.vendor_invitations;
begin
  if p_token is null or p_token !~ '^[A-Za-z0-9_-]{16,128}$' then
    perform private.raise_error('invitation_not_found', 404, 'This invitation link is not valid',
      'the token is missing or malformed', 'Ask the vendor''s owner for a new invitation.');
  end if;
  if p_lock then
    select * into v_invitation from public.vendor_invitations where token_hash = private.invitation_token_hash(p_token) for update;
  else
    select * into v_invitation from public.vendor_invitations where token_hash = private.invitation_token_hash(p_token);
  end if;
  if not found then
    perform private.raise_error('invitation_not_found', 404, 'This invitation link is not valid',
      'no invitation has this token', 'Ask the vendor''s owner for a new invitation.');
  end if;
  return v_invitation;
end;
$$;

-- pending, accepted, revoked or expired.
create function private.invitation_status(p_invitation public.vendor_invitations) returns text
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when p_invitation.accepted_at is not null then 'accepted'
    when p_invitation.revoked_at is not null then 'revoked'
    when p_invitation.expires_at <= now() then 'expired'
    else 'pending'
  end
$$;

-- Membership changes lock the vendor row first, so two owners demoting or removing each other
-- at once cannot leave the vendor without an owner.
create function private.lock_vendor(p_vendor_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform 1 from public.vendors where id = p_vendor_id for update;
end;
$$;

revoke all on function private.require_owner(uuid) from public;
revoke all on function private.require_role(text) from public;
revoke all on function private.invitation_token_hash(text) from public;
revoke all on function private.invitation_by_token(text, boolean) from public;
revoke all on function private.invitation_status(public.vendor_invitations) from public;
revoke all on function private.lock_vendor(uuid) from public;

-- What create_invitation answers: the invitation and, this once, its token.
create type public.new_invitation as (id uuid, vendor_id uuid, email text, role text, expires_at timestamptz, token text);

create function public.create_invitation(
  vendor_id uuid default null,
  email text default null,
  role text default 'staff',
  idempotency_key text default null
) returns public.new_invitation
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_vendor_id uuid := $1;
  p_email text := lower(btrim($2));
  p_role text := $3;
  p_key text := $4;
  v_arguments jsonb;
  v_stored jsonb;
  v_token text;
  v_invitation public.vendor_invitations;
begin
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_vendor_id is not null, 'vendor_id');
  perform private.require_owner(p_vendor_id);
  if p_email is null or char_length(p_email) > 320 or p_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    perform private.raise_error('invalid_argument', 400, 'email must be an email address', format('email is %s', coalesce(quote_literal($2), 'missing')));
  end if;
  perform private.require_role(p_role);

  v_arguments := jsonb_build_object('vendor_id', p_vendor_id, 'email', p_email, 'role', p_role);
  v_stored := private.idempotency_lookup('create_invitation', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.new_invitation, v_stored);
  end if;

  perform private.lock_vendor(p_vendor_id);
  if exists (select 1 from public.vendor_members m join auth.users u on u.id = m.user_id
             where m.vendor_id = p_vendor_id and lower(u.email) = p_email) then
    perform private.raise_error('already_member', 409, 'This person is already a member of the team',
      format('%s is a member of this vendor', p_email), 'Change their role in the team list instead.');
  end if;
  -- A new invitation for the same email replaces the pending one: its link stops working.
  update public.vendor_invitations set revoked_at = now()
  where vendor_id = p_vendor_id and email = p_email and accepted_at is null and revoked_at is null;

  -- 32 random bytes (from two v4 UUIDs' 244 random bits), URL-safe base64.
  v_token := translate(rtrim(encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'base64'), '='), '+/', '-_');
  insert into public.vendor_invitations (vendor_id, email, role, token_hash, invited_by, expires_at)
  values (p_vendor_id, p_email, p_role, private.invitation_token_hash(v_token), auth.uid(), now() + interval '7 days')
  returning * into v_invitation;

  perform private.idempotency_save('create_invitation', p_key, v_arguments, jsonb_build_object(
    'id', v_invitation.id, 'vendor_id', v_invitation.vendor_id, 'email', v_invitation.email,
    'role', v_invitation.role, 'expires_at', v_invitation.expires_at, 'token', v_token));
  return row(v_invitation.id, v_invitation.vendor_id, v_invitation.email, v_invitation.role, v_invitation.expires_at, v_token)::public.new_invitation;
end;
$$;

-- What the invitee sees before accepting: which vendor, which role, for which email, and whether
-- it can still be accepted by the caller. Any signed-in user holding the token may look.
create function public.lookup_invitation(token text default null)
returns table (vendor_id uuid, vendor_name text, role text, email text, status text, expires_at timestamptz,
               email_matches boolean, email_verified boolean, already_member boolean)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_invitation public.vendor_invitations;
  v_user auth.users;
begin
  perform private.require_user();
  v_invitation := private.invitation_by_token($1, false);
  select * into v_user from auth.users where id = auth.uid();
  return query
    select v.id, v.name, v_invitation.role, v_invitation.email, private.invitation_status(v_invitation), v_invitation.expires_at,
           lower(v_user.email) = v_invitation.email, v_user.email_confirmed_at is not null,
           exists (select 1 from public.vendor_members m where m.vendor_id = v.id and m.user_id = v_user.id)
    from public.vendors v where v.id = v_invitation.vendor_id;
end;
$$;

-- Joins the caller to the invitation's vendor with its role. Single use: the first accept wins;
-- any later one (same user with another key, or anyone else) gets 409 invitation_used.
create function public.accept_invitation(token text default null, idempotency_key text default null)
returns table (vendor_id uuid, vendor_name text, role text)
language plpgsql
security definer
set search_path = ''
as $$
declare
  p_token text := $1;
  p_key text := $2;
  v_uid uuid;
  v_user auth.users;
  v_invitation public.vendor_invitations;
  v_arguments jsonb;
  v_stored jsonb;
  v_vendor_name text;
begin
  v_uid := private.require_user();
  perform private.require_idempotency_key(p_key);
  -- Only the hash goes into the stored arguments: the token itself is never kept.
  v_arguments := jsonb_build_object('token_hash', encode(private.invitation_token_hash(coalesce(p_token, '')), 'hex'));
  v_stored := private.idempotency_lookup('accept_invitation', p_key, v_arguments);
  if v_stored is not null then
    return query select r.* from jsonb_to_record(v_stored) as r(vendor_id uuid, vendor_name text, role text);
    return;
  end if;

  v_invitation := private.invitation_by_token(p_token, true);
  case private.invitation_status(v_invitation)
    when 'accepted' then
      perform private.raise_error('invitation_used', 409, 'This invitation was already accepted',
        'an invitation can be accepted once', 'Ask the vendor''s owner for a new invitation if you still need one.');
    when 'revoked' then
      perform private.raise_error('invitation_revoked', 410, 'This invitation was withdrawn',
        'an owner revoked it or sent a newer one', 'Ask the vendor''s owner for a new invitation.');
    when 'expired' then
      perform private.raise_error('invitation_expired', 410, 'This invitation has expired',
        format('it expired at %s', v_invitation.expires_at), 'Ask the vendor''s owner for a new invitation.');
    else null;
  end case;

  select * into v_user from auth.users where id = v_uid;
  if v_user.email is null or lower(v_user.email) <> v_invitation.email then
    perform private.raise_error('email_mismatch', 403, 'This invitation is for another email address',
      'sign in with the email address the invitation was sent to', 'Sign out, then sign in or sign up with the invited email.');
  end if;
  if v_user.email_confirmed_at is null then
    perform private.raise_error('email_not_verified', 403, 'Confirm your email address first',
      'the account''s email is not confirmed', 'Follow the confirmation link we emailed you, then open the invitation again.');
  end if;

  perform private.lock_vendor(v_invitation.vendor_id);
  if exists (select 1 from public.vendor_members m where m.vendor_id = v_invitation.vendor_id and m.user_id = v_uid) then
    perform private.raise_error('already_member', 409, 'You are already a member of this team',
      'the caller is a member of this vendor', 'Open the inventory; an owner can change your role.');
  end if;
  insert into public.vendor_members (vendor_id, user_id, role) values (v_invitation.vendor_id, v_uid, v_invitation.role);
  update public.vendor_invitations set accepted_at = now(), accepted_by = v_uid where id = v_invitation.id;

  select name into v_vendor_name from public.vendors where id = v_invitation.vendor_id;
  perform private.idempotency_save('accept_invitation', p_key, v_arguments,
    jsonb_build_object('vendor_id', v_invitation.vendor_id, 'vendor_name', v_vendor_name, 'role', v_invitation.role));
  return query select v_invitation.vendor_id, v_vendor_name, v_invitation.role;
end;
$$;

-- Withdraws a pending invitation: its link stops working. Revoking a revoked or expired one
-- changes nothing; an accepted one is 409 invitation_used (remove the member instead).
create function public.revoke_invitation(invitation_id uuid default null, idempotency_key text default null)
returns table (id uuid, vendor_id uuid, email text, role text, expires_at timestamptz, revoked_at timestamptz)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_id uuid := $1;
  p_key text := $2;
  v_invitation public.vendor_invitations;
  v_arguments jsonb;
  v_stored jsonb;
begin
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_id is not null, 'invitation_id');
  select * into v_invitation from public.vendor_invitations where id = p_id for update;
  -- Not an owner of its vendor (or no such invitation): the same 403, nothing learnt.
  perform private.require_owner(v_invitation.vendor_id);
  v_arguments := jsonb_build_object('invitation_id', p_id);
  v_stored := private.idempotency_lookup('revoke_invitation', p_key, v_arguments);
  if v_stored is not null then
    return query select r.* from jsonb_to_record(v_stored) as r(id uuid, vendor_id uuid, email text, role text, expires_at timestamptz, revoked_at timestamptz);
    return;
  end if;
  if v_invitation.accepted_at is not null then
    perform private.raise_error('invitation_used', 409, 'This invitation was already accepted',
      'an accepted invitation cannot be revoked', 'Remove the member from the team instead.');
  end if;
  if v_invitation.revoked_at is null then
    update public.vendor_invitations set revoked_at = now() where id = p_id returning * into v_invitation;
  end if;
  perform private.idempotency_save('revoke_invitation', p_key, v_arguments, jsonb_build_object(
    'id', v_invitation.id, 'vendor_id', v_invitation.vendor_id, 'email', v_invitation.email, 'role', v_invitation.role,
    'expires_at', v_invitation.expires_at, 'revoked_at', v_invitation.revoked_at));
  return query select v_invitation.id, v_invitation.vendor_id, v_invitation.email, v_invitation.role, v_invitation.expires_at, v_invitation.revoked_at;
end;
$$;

-- 409 last_owner when the change would leave the vendor without an owner.
create function private.require_other_owner(p_vendor_id uuid, p_user_id uuid) returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.vendor_members where vendor_id = p_vendor_id and role = 'owner' and user_id <> p_user_id) then
    perform private.raise_error('last_owner', 409, 'A team needs at least one owner',
      'this is the vendor''s only owner', 'Make another member an owner first.');
  end if;
end;
$$;

-- The member row of (vendor, user), locked after the vendor; 404 member_not_found otherwise.
create function private.member_for_update(p_vendor_id uuid, p_user_id uuid) returns public.vendor_members
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member public.vendor_members;
begin
  perform private.lock_vendor(p_vendor_id);
  select * into v_member from public.vendor_members where vendor_id = p_vendor_id and user_id = p_user_id for update;
  if not found then
    perform private.raise_error('member_not_found', 404, 'This person is not a member of the team',
      format('user %s is not a member of vendor %s', p_user_id, p_vendor_id));
  end if;
  return v_member;
end;
$$;

revoke all on function private.require_other_owner(uuid, uuid) from public;
revoke all on function private.member_for_update(uuid, uuid) from public;

create function public.set_member_role(
  vendor_id uuid default null,
  user_id uuid default null,
  role text default null,
  idempotency_key text default null
) returns public.vendor_members
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_vendor_id uuid := $1;
  p_user_id uuid := $2;
  p_role text := $3;
  p_key text := $4;
  v_member public.vendor_members;
  v_arguments jsonb;
  v_stored jsonb;
begin
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_vendor_id is not null, 'vendor_id');
  perform private.require_owner(p_vendor_id);
  perform private.require_argument(p_user_id is not null, 'user_id');
  perform private.require_role(p_role);
  v_arguments := jsonb_build_object('vendor_id', p_vendor_id, 'user_id', p_user_id, 'role', p_role);
  v_stored := private.idempotency_lookup('set_member_role', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.vendor_members, v_stored);
  end if;
  v_member := private.member_for_update(p_vendor_id, p_user_id);
  if v_member.role = 'owner' and p_role <> 'owner' then
    perform private.require_other_owner(p_vendor_id, p_user_id);
  end if;
  update public.vendor_members set role = p_role where vendor_id = p_vendor_id and user_id = p_user_id returning * into v_member;
  perform private.idempotency_save('set_member_role', p_key, v_arguments, to_jsonb(v_member));
  return v_member;
end;
$$;

-- Owners remove anyone; any member may remove themselves (leave). Never the last owner.
create function public.remove_member(
  vendor_id uuid default null,
  user_id uuid default null,
  idempotency_key text default null
) returns public.vendor_members
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  p_vendor_id uuid := $1;
  p_user_id uuid := $2;
  p_key text := $3;
  v_member public.vendor_members;
  v_arguments jsonb;
  v_stored jsonb;
begin
  perform private.require_idempotency_key(p_key);
  perform private.require_argument(p_vendor_id is not null, 'vendor_id');
  perform private.require_argument(p_user_id is not null, 'user_id');
  if p_user_id is distinct from auth.uid() then
    perform private.require_owner(p_vendor_id);
  end if;
  v_arguments := jsonb_build_object('vendor_id', p_vendor_id, 'user_id', p_user_id);
  v_stored := private.idempotency_lookup('remove_member', p_key, v_arguments);
  if v_stored is not null then
    return jsonb_populate_record(null::public.vendor_members, v_stored);
  end if;
  v_member := private.member_for_update(p_vendor_id, p_user_id);
  if v_member.role = 'owner' then
    perform private.require_other_owner(p_vendor_id, p_user_id);
  end if;
  delete from public.vendor_members where vendor_id = p_vendor_id and user_id = p_user_id;
  perform private.idempotency_save('remove_member', p_key, v_arguments, to_jsonb(v_member));
  return v_member;
end;
$$;

revoke all on function public.create_invitation(uuid, text, text, text) from public, anon, authenticated, service_role;
revoke all on function public.lookup_invitation(text) from public, anon, authenticated, service_role;
revoke all on function public.accept_invitation(text, text) from public, anon, authenticated, service_role;
revoke all on function public.revoke_invitation(uuid, text) from public, anon, authenticated, service_role;
revoke all on function public.set_member_role(uuid, uuid, text, text) from public, anon, authenticated, service_role;
revoke all on function public.remove_member(uuid, uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.create_invitation(uuid, text, text, text) to authenticated, service_role;
grant execute on function public.lookup_invitation(text) to authenticated;
grant execute on function public.accept_invitation(text, text) to authenticated;
grant execute on function public.revoke_invitation(uuid, text) to authenticated, service_role;
grant execute on function public.set_member_role(uuid, uuid, text, text) to authenticated, service_role;
grant execute on function public.remove_member(uuid, uuid, text) to authenticated, service_role;
