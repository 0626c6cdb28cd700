// Catalog queries behind the schema cache. They run with an empty search_path so every type name and
// default expression comes back schema-qualified, as PostgREST reads them.

/** Tables, views, materialized views, foreign and partitioned tables of the exposed schemas. $1: schemas. */
export const TABLES_SQL = `
with pk as (
  select con.conrelid, array_agg(att.attname::text order by k.ord) as cols
  from pg_constraint con
  cross join lateral unnest(con.conkey) with ordinality as k(attnum, ord)
  join pg_attribute att on att.attrelid = con.conrelid and att.attnum = k.attnum
  where con.contype = 'p'
  group by con.conrelid
)
select
  n.nspname::text as schema,
  c.relname::text as name,
  c.relkind in ('v', 'm') as is_view,
  c.relkind in ('r', 'p') or (c.relkind in ('v', 'f') and (pg_relation_is_updatable(c.oid, true) & 8) = 8) as insertable,
  c.relkind in ('r', 'p') or (c.relkind in ('v', 'f') and (pg_relation_is_updatable(c.oid, true) & 4) = 4) as updatable,
  c.relkind in ('r', 'p') or (c.relkind in ('v', 'f') and (pg_relation_is_updatable(c.oid, true) & 16) = 16) as deletable,
  coalesce(pk.cols, '{}') as pk,
  coalesce((
    select json_agg(json_build_object(
      'name', a.attname,
      'type', format_type(a.atttypid, a.atttypmod),
      'nullable', not (a.attnotnull or (t.typtype = 'd' and t.typnotnull)),
      'default', case
        when t.typbasetype <> 0 and ad.adbin is null then pg_get_expr(t.typdefaultbin, 0)
        when a.attidentity = 'd' then format('nextval(%s)', quote_literal(seqn.nspname || '.' || seq.relname))
        when a.attgenerated = 's' then null
        else pg_get_expr(ad.adbin, ad.adrelid)
      end,
      'generated', a.attidentity = 'a' or a.attgenerated = 's'
    ) order by a.attnum)
    from pg_attribute a
    join pg_type t on t.oid = a.atttypid
    left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    left join pg_depend dep on dep.refobjid = a.attrelid and dep.refobjsubid = a.attnum and dep.deptype = 'i'
      and dep.classid = 'pg_class'::regclass
    left join pg_class seq on seq.oid = dep.objid and seq.relkind = 'S'
    left join pg_namespace seqn on seqn.oid = seq.relnamespace
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  ), '[]') as columns
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
left join pk on pk.conrelid = c.oid
where c.relkind in ('r', 'v', 'm', 'f', 'p') and not c.relispartition and n.nspname = any($1)
order by c.oid
`;

/** Foreign keys (all of them: views in exposed schemas may show tables of others), with whether the FK columns are unique. */
export const FOREIGN_KEYS_SQL = `
select
  n1.nspname as schema, t1.relname as table_name,
  n2.nspname as foreign_schema, t2.relname as foreign_table,
  con.conname as constraint_name,
  array_agg(a1.attname::text order by k.ord) as columns,
  array_agg(a2.attname::text order by k.ord) as foreign_columns,
  exists (
    select 1 from pg_constraint u
    where u.conrelid = con.conrelid and u.contype in ('p', 'u')
      and (select array_agg(x order by x) from unnest(u.conkey) x) = (select array_agg(x order by x) from unnest(con.conkey) x)
  ) as one_to_one
from pg_constraint con
cross join lateral unnest(con.conkey, con.confkey) with ordinality as k(col, ref, ord)
join pg_attribute a1 on a1.attrelid = con.conrelid and a1.attnum = k.col
join pg_attribute a2 on a2.attrelid = con.confrelid and a2.attnum = k.ref
join pg_class t1 on t1.oid = con.conrelid
join pg_namespace n1 on n1.oid = t1.relnamespace
join pg_class t2 on t2.oid = con.confrelid
join pg_namespace n2 on n2.oid = t2.relnamespace
where con.contype = 'f' and con.conparentid = 0
group by n1.nspname, t1.relname, n2.nspname, t2.relname, con.conname, con.conrelid, con.conkey
order by con.conrelid, con.conname
`;

/** Functions of the exposed schemas with their input parameters, return type and settings. $1: schemas. */
export const FUNCTIONS_SQL = `
with base_types as (
  with recursive r as (
    select oid, typbasetype, coalesce(nullif(typbasetype, 0), oid) as base from pg_type
    union
    select r.oid, b.typbasetype, coalesce(nullif(b.typbasetype, 0), b.oid) from r join pg_type b on r.typbasetype = b.oid
  )
  select oid, base from r where typbasetype = 0
)
select
  pn.nspname as schema,
  p.proname as name,
  coalesce((
    select json_agg(json_build_object(
      'name', coalesce(arg.name, ''),
      'type', arg.type::regtype::text,
      'recordType', case arg.type
        when 'bit'::regtype then 'bit varying'
        when 'bit[]'::regtype then 'bit varying[]'
        when 'character'::regtype then 'character varying'
        when 'character[]'::regtype then 'character varying[]'
        else arg.type::regtype::text end,
      'required', arg.input_idx <= p.pronargs - p.pronargdefaults,
      'variadic', arg.mode = 'v'
    ) order by arg.idx)
    from (
      select a.name, a.type, a.mode, a.idx, row_number() over (order by a.idx) as input_idx
      from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames, p.proargmodes)
        with ordinality as a(type, name, mode, idx)
      where a.type is not null and coalesce(a.mode, 'i') in ('i', 'b', 'v')
    ) arg
  ), '[]') as params,
  coalesce((
    select json_agg(json_build_object('name', a.name, 'type', a.type::regtype::text) order by a.idx)
    from unnest(p.proallargtypes, p.proargnames, p.proargmodes) with ordinality as a(type, name, mode, idx)
    where a.mode in ('o', 'b', 't')
  ), '[]') as out_params,
  tn.nspname as return_schema,
  coalesce(comp.relname, t.typname) as return_name,
  t.oid = 'void'::regtype as returns_void,
  p.proretset as returns_set,
  (t.typtype = 'c' or coalesce(p.proargmodes::text[] && '{t,b,o}', false)) as returns_composite,
  bt.oid <> bt.base as returns_composite_alias,
  comp.relkind as return_relkind,
  p.provolatile as volatility,
  lower((regexp_split_to_array((regexp_split_to_array(iso.setting, '='))[2], ','))[1]) as isolation_level,
  coalesce((
    select json_agg(json_build_array(substr(setting, 1, strpos(setting, '=') - 1), substr(setting, strpos(setting, '=') + 1)))
    from unnest(p.proconfig) setting
    where substr(setting, 1, strpos(setting, '=') - 1) in ('statement_timeout', 'plan_filter.statement_cost_limit')
  ), '[]') as hoisted_settings
from pg_proc p
join pg_namespace pn on pn.oid = p.pronamespace
join base_types bt on bt.oid = p.prorettype
join pg_type t on t.oid = bt.base
join pg_namespace tn on tn.oid = t.typnamespace
left join pg_class comp on comp.oid = t.typrelid
left join lateral unnest(p.proconfig) iso(setting) on iso.setting like 'default_transaction_isolation%'
where pn.nspname = any($1) and p.prokind = 'f' and t.oid <> 'trigger'::regtype
order by p.oid
`;

/** Columns of every relation and composite type outside the system schemas: what functions may return. */
export const ROW_TYPES_SQL = `
select n.nspname as schema, c.relname as name,
  json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) order by a.attnum) as columns
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where c.relkind in ('r', 'v', 'm', 'f', 'p', 'c') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
group by n.nspname, c.relname
`;

/** The pgrst.* settings of the authenticator role, as PostgREST's in-database configuration. */
export const DB_SETTINGS_SQL = `
select distinct on (key) replace(k, 'pgrst.', '') as key, v as value
from (
  select s.setdatabase as database, substr(x, 1, strpos(x, '=') - 1) as k, substr(x, strpos(x, '=') + 1) as v
  from pg_db_role_setting s
  cross join lateral unnest(s.setconfig) x
  where s.setrole = 'authenticator'::regrole
    and s.setdatabase in (0, (select oid from pg_database where datname = current_catalog))
) kv
where k like 'pgrst.%'
order by key, database desc nulls last
`;

/** Settings of the roles the authenticator can switch to (statement_timeout, ...), applied per request. */
export const ROLE_SETTINGS_SQL = `
select r.rolname as role, substr(x, 1, strpos(x, '=') - 1) as key, lower(substr(x, strpos(x, '=') + 1)) as value
from pg_auth_members m
join pg_roles r on r.oid = m.roleid
cross join lateral unnest(r.rolconfig) x
join pg_settings ps on ps.name = substr(x, 1, strpos(x, '=') - 1)
where m.member = 'authenticator'::regrole
  and (ps.context = 'user' or has_parameter_privilege('authenticator', ps.name, 'set'))
`;

export const TIMEZONES_SQL = 'select name from pg_timezone_names';

/** The query trees of views and materialized views outside the system schemas, to trace their columns. */
export const VIEWS_SQL = `
select c.oid::int8 as oid, n.nspname::text as schema, c.relname::text as name, r.ev_action::text as action
from pg_rewrite r
join pg_class c on c.oid = r.ev_class
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('v', 'm') and r.rulename = '_RETURN' and n.nspname not in ('pg_catalog', 'information_schema')
order by c.oid
`;

/** Relations with their column names and primary key, to name what view columns trace back to. */
export const RELATION_COLUMNS_SQL = `
select c.oid::int8 as oid, n.nspname::text as schema, c.relname::text as name, c.relkind in ('v', 'm') as is_view,
  json_object_agg(a.attnum, a.attname) as columns,
  coalesce((
    select array_agg(pa.attname::text order by k.ord)
    from pg_constraint con
    cross join lateral unnest(con.conkey) with ordinality as k(attnum, ord)
    join pg_attribute pa on pa.attrelid = con.conrelid and pa.attnum = k.attnum
    where con.conrelid = c.oid and con.contype = 'p'
  ), '{}') as pk
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where c.relkind in ('r', 'v', 'm', 'f', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
group by c.oid, n.nspname, c.relname
`;

/**
 * Computed fields: functions taking one row of a relation, which `select=name` reaches through
 * Postgres' attribute notation (`table.fn` calls `fn(table)`). $1: schemas searched for them.
 */
export const COMPUTED_FIELDS_SQL = `
select tn.nspname::text as table_schema, tc.relname::text as table_name, p.proname::text as name,
  format_type(p.prorettype, null) as type
from pg_proc p
join pg_namespace pn on pn.oid = p.pronamespace
join pg_type t on t.oid = p.proargtypes[0]
join pg_class tc on tc.oid = t.typrelid
join pg_namespace tn on tn.oid = tc.relnamespace
where p.pronargs = 1 and not p.proretset and p.prokind = 'f' and tc.relkind in ('r', 'v', 'm', 'f', 'p') and pn.nspname = any($1)
order by p.oid
`;
