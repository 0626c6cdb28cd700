-- Functions the stack's Realtime service runs as supabase_realtime_admin (never granted to API roles).
-- They play the part of Supabase's realtime.apply_rls / subscription_check_filters for changes
-- decoded from pgoutput. Idempotent.

-- Checks one postgres_changes binding as Supabase does when it inserts into realtime.subscription:
-- the tables of the publication matching schema/table ('*' = any), the subscriber's role, the
-- filter columns (selectable by that role) and values (castable to the column type). Raises with
-- Supabase's messages; returns the matching table oids.
create or replace function realtime.stack_check_subscription(
  publication text, schema_pattern text, table_pattern text, role_name text, filters jsonb, select_columns text[]
) returns oid[]
language plpgsql
set search_path = ''
as $$
declare
  entities oid[];
  entity oid;
  f jsonb;
  col_type regtype;
  in_values jsonb;
  col text;
begin
  perform role_name::regrole;
  select coalesce(array_agg(format('%I.%I', p.schemaname, p.tablename)::regclass::oid), '{}')
    into entities
    from pg_catalog.pg_publication_tables p
   where p.pubname = publication
     and p.schemaname like (case schema_pattern when '*' then '%' else schema_pattern end) escape ''
     and p.tablename like (case table_pattern when '*' then '%' else table_pattern end) escape '';
  foreach entity in array entities loop
    for f in select * from jsonb_array_elements(filters) loop
      select a.atttypid::regtype into col_type
        from pg_catalog.pg_attribute a
       where a.attrelid = entity and a.attname = f->>0 and a.attnum > 0 and not a.attisdropped
         and pg_catalog.has_column_privilege(role_name, entity, a.attnum, 'SELECT');
      if col_type is null then
        raise exception 'invalid column for filter %', f->>0;
      end if;
      if f->>1 = 'in' then
        execute format('select to_jsonb($1::%s[])', col_type) using f->>2 into in_values;
        if coalesce(jsonb_array_length(in_values), 0) > 100 then
          raise exception 'too many values for `in` filter. Maximum 100';
        end if;
      elsif f->>1 = 'is' then
        if f->>2 not in ('null', 'true', 'false', 'unknown') then
          raise exception 'invalid value for is filter: must be null, true, false, or unknown';
        end if;
        if f->>2 <> 'null' and col_type <> 'boolean'::regtype then
          raise exception 'is % filter requires a boolean column, got %', f->>2, col_type;
        end if;
      elsif f->>1 in ('like', 'ilike') then
        if not exists (select from pg_catalog.pg_operator where oprname = '~~' and oprleft = col_type) then
          raise exception 'operator % requires a text-compatible column type, got %', f->>1, col_type;
        end if;
      elsif f->>1 in ('match', 'imatch') then
        if not exists (
          select from pg_catalog.pg_operator
           where oprname = case f->>1 when 'imatch' then '~*' else '~' end
             and oprleft = col_type and oprright = col_type and oprresult = 'boolean'::regtype
        ) then
          raise exception 'operator % requires a text-compatible column type, got %', f->>1, col_type;
        end if;
        begin
          perform '' ~ (f->>2);
        exception when others then
          raise exception 'invalid regular expression for % filter: %', f->>1, sqlerrm;
        end;
      else
        execute format('select $1::%s', col_type) using f->>2;
      end if;
    end loop;
    foreach col in array coalesce(select_columns, '{}') loop
      if not exists (
        select from pg_catalog.pg_attribute a
         where a.attrelid = entity and a.attname = col and a.attnum > 0 and not a.attisdropped
           and pg_catalog.has_column_privilege(role_name, entity, a.attnum, 'SELECT')
      ) then
        raise exception 'invalid column for select %', col;
      end if;
    end loop;
  end loop;
  return entities;
end;
$$;

-- Resolves one decoded change for its subscribers, in one round trip:
--  * `filters` ([[column, op, value, negate], ...]) evaluated against the new row (the old row for
--    DELETE), with the column's type, as Supabase's check_equality_op does;
--  * `visible`: per distinct subscriber (claims[i] with claim_roles[i]) whether that subscriber can
--    select the row by primary key under RLS, as that role with those `request.jwt.claims`
--    (only for INSERT/UPDATE on tables with RLS enabled; otherwise all true);
--  * `payloads`: per role, the columns it may select and the record/old_record restricted to them,
--    values converted with to_jsonb(value::type); errors 400/401/413 as Supabase reports them.
create or replace function realtime.stack_resolve_change(
  entity oid, action text, xid bigint,
  new_names text[], new_values text[], old_names text[], old_values text[],
  filters jsonb, roles text[], claims text[], claim_roles text[], max_record_bytes integer
) returns jsonb
language plpgsql
-- No `set search_path`: RLS policies run here must see the search_path they see under PostgREST.
as $$
declare
  rel_schema text;
  rel_name text;
  rls boolean;
  pk text[];
  new_json jsonb := '{}';
  old_json jsonb := '{}';
  too_big boolean;
  sql text;
  f jsonb;
  src_names text[];
  src_values text[];
  idx integer;
  col_type text;
  op_expr text;
  ok boolean;
  filter_results boolean[] := '{}';
  visible boolean[] := '{}';
  check_sql text;
  snapshot_xmax bigint;
  full_xid bigint;
  r text;
  selectable text[];
  cols jsonb;
  payload jsonb;
  payloads jsonb := '{}';
  i integer;
begin
  select n.nspname, c.relname, c.relrowsecurity into rel_schema, rel_name, rls
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
   where c.oid = entity;
  if rel_name is null then
    return null;
  end if;

  select coalesce(array_agg(a.attname::text order by a.attnum), '{}') into pk
    from pg_catalog.pg_index x
    join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = any(x.indkey)
   where x.indrelid = entity and x.indisprimary;

  too_big := coalesce((select sum(octet_length(v)) from unnest(new_values) v), 0)
           + coalesce((select sum(octet_length(v)) from unnest(old_values) v), 0) > max_record_bytes;

  -- Typed values: one statement per tuple, values passed as parameters.
  for i in 1..2 loop
    select string_agg(format('(%L, to_jsonb($1[%s]::%s))', t.name, t.ord, pg_catalog.format_type(a.atttypid, null)), ', ')
      into sql
      from unnest(case i when 1 then new_names else old_names end) with ordinality as t(name, ord)
      join pg_catalog.pg_attribute a on a.attrelid = entity and a.attname = t.name and a.attnum > 0 and not a.attisdropped;
    continue when sql is null;
    begin
      if i = 1 then
        execute 'select jsonb_object_agg(k, v) from (values ' || sql || ') t(k, v)' using new_values into new_json;
      else
        execute 'select jsonb_object_agg(k, v) from (values ' || sql || ') t(k, v)' using old_values into old_json;
      end if;
    exception when others then
      -- A value that does not read back as its type (should not happen): keep the text.
      if i = 1 then
        select jsonb_object_agg(t.name, t.value) into new_json from unnest(new_names, new_values) as t(name, value);
      else
        select jsonb_object_agg(t.name, t.value) into old_json from unnest(old_names, old_values) as t(name, value);
      end if;
    end;
  end loop;

  if action = 'DELETE' then
    src_names := old_names;
    src_values := old_values;
  else
    src_names := new_names;
    src_values := new_values;
  end if;
  for f in select * from jsonb_array_elements(coalesce(filters, '[]')) loop
    ok := false;
    idx := array_position(src_names, f->>0);
    select pg_catalog.format_type(a.atttypid, null) into col_type
      from pg_catalog.pg_attribute a
     where a.attrelid = entity and a.attname = f->>0 and a.attnum > 0 and not a.attisdropped;
    if idx is not null and col_type is not null then
      op_expr := case f->>1
        when 'eq' then '$1::%1$s = $2::%1$s'
        when 'neq' then '$1::%1$s <> $2::%1$s'
        when 'lt' then '$1::%1$s < $2::%1$s'
        when 'lte' then '$1::%1$s <= $2::%1$s'
        when 'gt' then '$1::%1$s > $2::%1$s'
        when 'gte' then '$1::%1$s >= $2::%1$s'
        when 'in' then '$1::%1$s = any($2::%1$s[])'
        when 'like' then '$1::%1$s like $2::%1$s'
        when 'ilike' then '$1::%1$s ilike $2::%1$s'
        when 'match' then '$1::%1$s ~ $2::%1$s'
        when 'imatch' then '$1::%1$s ~* $2::%1$s'
        when 'isdistinct' then '$1::%1$s is distinct from $2::%1$s'
        when 'is' then case f->>2
          when 'null' then '$1::%1$s is null'
          when 'true' then '$1::%1$s is true'
          when 'false' then '$1::%1$s is false'
          when 'unknown' then '$1::%1$s is unknown'
        end
      end;
      if op_expr is not null then
        begin
          execute 'select ' || format(op_expr, col_type) using src_values[idx], f->>2 into ok;
          if coalesce((f->>3)::boolean, false) then
            ok := not ok;
          end if;
        exception when others then
          ok := false;
        end;
      end if;
    end if;
    filter_results := filter_results || coalesce(ok, false);
  end loop;

  if rls and action <> 'DELETE' and cardinality(pk) > 0 and pk <@ new_names then
    -- A transaction is decoded once its commit record is in the WAL, which can be a moment before
    -- it becomes visible to new snapshots: wait for that, or the row would look absent.
    -- pgoutput sends 32-bit xids: place it in the epoch nearest to the snapshot's xmax.
    snapshot_xmax := pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint;
    full_xid := snapshot_xmax
      + ((((xid - (snapshot_xmax & 4294967295) + 2147483648) % 4294967296) + 4294967296) % 4294967296 - 2147483648);
    for i in 1..1000 loop
      exit when pg_catalog.pg_visible_in_snapshot(full_xid::text::xid8, pg_catalog.pg_current_snapshot());
      perform pg_catalog.pg_sleep(0.001);
    end loop;
    -- One prepared statement per change (planned once per role), run as each subscriber.
    select 'prepare stack_rls_check as select exists (select 1 from ' || entity::regclass::text || ' where '
           || string_agg(format('%I = %L::%s', p.name, new_values[array_position(new_names, p.name)], pg_catalog.format_type(a.atttypid, null)), ' and ')
           || ')'
      into check_sql
      from unnest(pk) as p(name)
      join pg_catalog.pg_attribute a on a.attrelid = entity and a.attname = p.name;
    if exists (select from pg_catalog.pg_prepared_statements where name = 'stack_rls_check') then
      deallocate stack_rls_check;
    end if;
    execute check_sql;
    begin
      for i in 1..coalesce(cardinality(claims), 0) loop
        perform set_config('role', claim_roles[i], true), set_config('request.jwt.claims', claims[i], true);
        execute 'execute stack_rls_check' into ok;
        perform set_config('role', 'none', true), set_config('request.jwt.claims', '', true);
        visible := visible || coalesce(ok, false);
      end loop;
    exception when others then
      -- A policy failed for someone: check each subscriber on its own, a failure meaning no access.
      visible := '{}';
      for i in 1..coalesce(cardinality(claims), 0) loop
        begin
          perform set_config('role', claim_roles[i], true), set_config('request.jwt.claims', claims[i], true);
          execute 'execute stack_rls_check' into ok;
          perform set_config('role', 'none', true), set_config('request.jwt.claims', '', true);
        exception when others then
          ok := false;
        end;
        visible := visible || coalesce(ok, false);
      end loop;
    end;
    deallocate stack_rls_check;
  else
    visible := array_fill(true, array[coalesce(cardinality(claims), 0)]);
  end if;

  foreach r in array coalesce(roles, '{}') loop
    begin
      select coalesce(array_agg(a.attname::text order by a.attnum), '{}'),
             coalesce(jsonb_agg(jsonb_build_object('name', a.attname, 'type', t.typname) order by a.attnum), '[]')
        into selectable, cols
        from pg_catalog.pg_attribute a
        join pg_catalog.pg_type t on t.oid = a.atttypid
       where a.attrelid = entity and a.attnum > 0 and not a.attisdropped
         and pg_catalog.has_column_privilege(r, entity, a.attnum, 'SELECT');
    exception when others then
      selectable := '{}';
      cols := '[]';
    end;
    if action <> 'DELETE' and cardinality(pk) = 0 then
      payload := jsonb_build_object('error', 'Error 400: Bad Request, no primary key');
    elsif action <> 'DELETE' and not pk <@ selectable then
      payload := jsonb_build_object('error', 'Error 401: Unauthorized');
    else
      payload := jsonb_build_object(
        'columns', cols,
        'record', coalesce((
          select jsonb_object_agg(e.key, e.value) from jsonb_each(new_json) e
           where e.key = any(selectable) and (not too_big or octet_length(e.value::text) <= 64)
        ), '{}'),
        'old_record', coalesce((
          select jsonb_object_agg(e.key, e.value) from jsonb_each(old_json) e
           where e.key = any(selectable) and (not too_big or octet_length(e.value::text) <= 64)
             and (action <> 'DELETE' or not rls or e.key = any(pk))
        ), '{}'),
        'too_big', too_big
      );
    end if;
    payloads := payloads || jsonb_build_object(r, payload);
  end loop;

  return jsonb_build_object(
    'schema', rel_schema, 'table', rel_name, 'pk', to_jsonb(pk),
    'filters', to_jsonb(filter_results), 'visible', to_jsonb(visible), 'payloads', payloads
  );
end;
$$;

revoke all on function realtime.stack_check_subscription(text, text, text, text, jsonb, text[]) from public, anon, authenticated, service_role;
drop function if exists realtime.stack_resolve_change(oid, text, text[], text[], text[], text[], jsonb, text[], text[], text[], integer);
revoke all on function realtime.stack_resolve_change(oid, text, bigint, text[], text[], text[], text[], jsonb, text[], text[], text[], integer) from public, anon, authenticated, service_role;
