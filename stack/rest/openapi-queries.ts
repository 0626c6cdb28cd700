// Catalog queries behind the OpenAPI document, run in the request's transaction as its role, so the
// privilege checks follow that role (PostgREST's accessibleTables, accessibleFuncs, schemaDescription).

/** The schema's comment. $1: schema. */
export const OPENAPI_SCHEMA_SQL = `
select d.description
from pg_namespace n
left join pg_description d on d.objoid = n.oid and d.classoid = 'pg_namespace'::regclass
where n.nspname = $1
`;

/**
 * Relations of the schema the role has any privilege on, with their comments and columns: PostgREST's
 * data_type (pg_catalog types and domains over them without modifiers), maximum length, default, enum labels.
 * $1: schema.
 */
export const OPENAPI_TABLES_SQL = `
select
  c.relname::text as name,
  d.description,
  coalesce((
    select json_agg(json_build_object(
      'name', a.attname,
      'description', cd.description,
      'nullable', not (a.attnotnull or (t.typtype = 'd' and t.typnotnull)),
      'type', case
        when t.typtype = 'd' then
          case when nbt.nspname = 'pg_catalog' then format_type(t.typbasetype, null) else format_type(a.atttypid, a.atttypmod) end
        else
          case when nt.nspname = 'pg_catalog' then format_type(a.atttypid, null) else format_type(a.atttypid, a.atttypmod) end
      end,
      'maxLength', information_schema._pg_char_max_length(information_schema._pg_truetypid(a.*, t.*), information_schema._pg_truetypmod(a.*, t.*)),
      'default', case
        when t.typbasetype <> 0 and ad.adbin is null then pg_get_expr(t.typdefaultbin, 0)
        when a.attidentity = 'd' then format('nextval(%s)', quote_literal(seqn.nspname || '.' || seq.relname))
        when a.attgenerated = 's' then null
        else pg_get_expr(ad.adbin, ad.adrelid)
      end,
      'enum', (select json_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = coalesce(bt.oid, t.oid))
    ) order by a.attnum)
    from pg_attribute a
    join pg_type t on t.oid = a.atttypid
    join pg_namespace nt on nt.oid = t.typnamespace
    left join pg_type bt on t.typtype = 'd' and bt.oid = t.typbasetype
    left join pg_namespace nbt on nbt.oid = bt.typnamespace
    left join pg_description cd on cd.objoid = a.attrelid and cd.objsubid = a.attnum and cd.classoid = 'pg_class'::regclass
    left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    left join pg_depend dep on dep.refobjid = a.attrelid and dep.refobjsubid = a.attnum and dep.deptype = 'i' and dep.classid = 'pg_class'::regclass
    left join pg_class seq on seq.oid = dep.objid and seq.relkind = 'S'
    left join pg_namespace seqn on seqn.oid = seq.relnamespace
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  ), '[]') as columns
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = c.oid and d.objsubid = 0 and d.classoid = 'pg_class'::regclass
where c.relkind in ('v', 'r', 'm', 'f', 'p') and not c.relispartition and n.nspname = $1
  and (
    pg_has_role(c.relowner, 'USAGE')
    or has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
    or has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')
  )
order by c.relname
`;

/**
 * Functions of the schema the role may execute, with their comments and input parameters, that PostgREST
 * can call (all parameters named, or one unnamed bytea/json/jsonb/text/xml). Overloads come in creation
 * order. $1: schema.
 */
export const OPENAPI_FUNCTIONS_SQL = `
select p.proname::text as name, d.description, coalesce(args.params, '[]') as params
from pg_proc p
join pg_namespace pn on pn.oid = p.pronamespace
left join pg_description d on d.objoid = p.oid and d.classoid = 'pg_proc'::regclass
left join lateral (
  select
    json_agg(json_build_object(
      'name', coalesce(a.name, ''),
      'type', a.type::regtype::text,
      'required', a.input_idx <= p.pronargs - p.pronargdefaults,
      'variadic', a.mode = 'v'
    ) order by a.idx) as params,
    count(*) filter (where a.name is null or a.name = '') as unnamed,
    count(*) as total,
    bool_and(a.type in ('bytea'::regtype, 'json'::regtype, 'jsonb'::regtype, 'text'::regtype, 'xml'::regtype)) as single_ok
  from (
    select x.name, x.type, x.mode, x.idx, row_number() over (order by x.idx) as input_idx
    from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames, p.proargmodes) with ordinality as x(type, name, mode, idx)
    where x.type is not null and coalesce(x.mode, 'i') in ('i', 'b', 'v')
  ) a
) args on true
where pn.nspname = $1 and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype
  and has_function_privilege(p.oid, 'execute')
  and (coalesce(args.unnamed, 0) = 0 or (args.unnamed = 1 and args.total = 1 and args.single_ok))
order by p.oid
`;
