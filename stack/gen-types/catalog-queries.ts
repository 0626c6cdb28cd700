// Catalog queries behind the type generator, shaped after what postgres-meta reads for
// `supabase gen types typescript`. $1, where used, is the array of schemas to generate.

/** Tables ('r', 'p'), foreign tables, views and materialized views of the schemas. */
export const RELATIONS_SQL = `
select c.oid::int8 as id, n.nspname::text as schema, c.relname::text as name, c.relkind::text as kind,
  c.relkind = 'v' and (pg_relation_is_updatable(c.oid, false) & 20) = 20 as updatable
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'f', 'v', 'm') and n.nspname = any($1)
order by n.nspname, c.relname
`;

/** Columns of those relations; a domain's column is typed by the domain's base type. */
export const COLUMNS_SQL = `
select a.attrelid::int8 as "relationId", a.attnum::int as position, a.attname::text as name,
  coalesce(bt.typname, t.typname)::text as "typeName",
  not (a.attnotnull or (t.typtype = 'd' and t.typnotnull)) as nullable,
  a.atthasdef as "hasDefault",
  a.attidentity in ('a', 'd') as "isIdentity",
  a.attidentity = 'a' as "identityAlways",
  c.relkind in ('r', 'p') or (c.relkind in ('v', 'f') and pg_column_is_updatable(c.oid, a.attnum, false)) as updatable
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
where c.relkind in ('r', 'p', 'f', 'v', 'm') and n.nspname = any($1) and a.attnum > 0 and not a.attisdropped
order by a.attrelid, a.attnum
`;

/**
 * Every type a column, argument or result may name: base, array, enum, domain and composite types
 * and the row types of tables and views, in all schemas.
 */
export const TYPES_SQL = `
select t.oid::int8 as id, t.typname::text as name, n.nspname::text as schema, format_type(t.oid, null) as format,
  coalesce((select array_agg(e.enumlabel::text order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid), '{}') as "enumValues",
  coalesce((
    select json_agg(json_build_object('name', a.attname, 'typeId', a.atttypid::int8) order by a.attnum)
    from pg_class cc
    join pg_attribute a on a.attrelid = cc.oid
    where cc.oid = t.typrelid and cc.relkind = 'c' and a.attnum > 0 and not a.attisdropped
  ), '[]') as attributes,
  nullif(t.typrelid::int8, 0) as "relationId"
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
left join pg_class c on c.oid = t.typrelid
where t.typrelid = 0 or c.relkind in ('c', 'r', 'v', 'm', 'p')
order by t.oid
`;

/**
 * Functions of the schemas with every argument (in, out, inout, variadic and table columns) in
 * declaration order. has_default follows pg_proc's layout: the last pronargdefaults input arguments.
 */
export const FUNCTIONS_SQL = `
select p.oid::int8 as id, n.nspname::text as schema, p.proname::text as name,
  coalesce((
    select json_agg(json_build_object(
      'mode', case coalesce(a.mode, 'i') when 'i' then 'in' when 'o' then 'out' when 'b' then 'inout' when 'v' then 'variadic' else 'table' end,
      'name', coalesce(a.name, ''),
      'typeId', a.type::int8,
      'hasDefault', a.idx > p.pronargs - p.pronargdefaults and a.idx <= p.pronargs
    ) order by a.idx)
    from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames, p.proargmodes) with ordinality as a(type, name, mode, idx)
    where a.type is not null
  ), '[]') as args,
  pg_get_function_arguments(p.oid) as "argumentTypes",
  pg_get_function_result(p.oid) as "returnType",
  p.prorettype::int8 as "returnTypeId",
  nullif(rt.typrelid::int8, 0) as "returnTypeRelationId",
  p.proretset as "returnsSet",
  case when p.proretset then nullif(p.prorows, 0)::float8 end as rows
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_type rt on rt.oid = p.prorettype
where p.prokind = 'f' and n.nspname = any($1) and pg_get_function_result(p.oid) not in ('trigger', 'event_trigger')
order by n.nspname, p.proname, p.oid
`;

/**
 * Foreign keys outside the system schemas (one declared elsewhere may reach a generated schema
 * through views there), as `supabase gen types` lists them. One-to-one when the referencing columns, in key order, are
 * exactly the columns of a primary key or unique constraint of the table (in column order).
 */
export const FOREIGN_KEYS_SQL = `
select con.conname::text as name,
  n.nspname::text as schema, tab.oid::int8 as "relationId", tab.relname::text as relation,
  rn.nspname::text as "referencedSchema", ref.oid::int8 as "referencedRelationId", ref.relname::text as "referencedRelation",
  cols.names as columns, cols.positions, cols.ref_names as "referencedColumns", cols.ref_positions as "referencedPositions",
  exists (
    select 1 from pg_constraint u
    where u.conrelid = con.conrelid and u.contype in ('p', 'u')
      and (select array_agg(ua.attname::text order by ua.attnum) from pg_attribute ua where ua.attrelid = u.conrelid and ua.attnum = any(u.conkey)) = cols.names
  ) as "oneToOne"
from pg_constraint con
join pg_namespace n on n.oid = con.connamespace
join pg_class tab on tab.oid = con.conrelid
join pg_class ref on ref.oid = con.confrelid
join pg_namespace rn on rn.oid = ref.relnamespace
cross join lateral (
  select array_agg(ca.attname::text order by k.ord) as names, array_agg(k.col::int order by k.ord) as positions,
    array_agg(ra.attname::text order by k.ord) as ref_names, array_agg(k.ref::int order by k.ord) as ref_positions
  from unnest(con.conkey, con.confkey) with ordinality as k(col, ref, ord)
  join pg_attribute ca on ca.attrelid = con.conrelid and ca.attnum = k.col
  join pg_attribute ra on ra.attrelid = con.confrelid and ra.attnum = k.ref
) cols
where con.contype = 'f' and con.conparentid = 0 and n.nspname not in ('information_schema', 'pg_catalog', 'pg_toast')
order by n.nspname, con.conname, tab.relname
`;

/**
 * The query trees of views and materialized views outside the system schemas (a view of the
 * generated schemas may show another schema's view), to trace view columns to table columns.
 */
export const VIEW_TREES_SQL = `
select c.oid::int8 as id, r.ev_action::text as tree
from pg_rewrite r
join pg_class c on c.oid = r.ev_class
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('v', 'm') and r.rulename = '_RETURN' and n.nspname not in ('information_schema', 'pg_catalog', 'pg_toast')
order by c.oid
`;

/** The schemas that exist among those asked for. */
export const SCHEMAS_SQL = `select nspname::text as name from pg_namespace where nspname = any($1)`;
