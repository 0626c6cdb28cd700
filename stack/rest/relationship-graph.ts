// Relationships between the relations of the exposed schemas, as PostgREST's schema cache builds them:
// every foreign key gives a many-to-one (or one-to-one when its columns are unique) and the inverse;
// views showing the key columns get the same relationships; a junction whose primary key holds two
// foreign keys links its two ends many-to-many. Views also inherit the primary keys they show.
import { key, type QualifiedName } from './qualified-name.ts';
import type { Relationship, Table } from './schema-cache.ts';
import { viewColumnOrigins } from './view-columns.ts';

export interface ForeignKeyRow {
  schema: string;
  table_name: string;
  foreign_schema: string;
  foreign_table: string;
  constraint_name: string;
  columns: string[];
  foreign_columns: string[];
  one_to_one: boolean;
}

export interface ViewRow {
  oid: string;
  schema: string;
  name: string;
  action: string;
}

export interface RelationColumnsRow {
  oid: string;
  schema: string;
  name: string;
  is_view: boolean;
  columns: Record<string, string>;
  pk: string[];
}

const columnKey = (schema: string, table: string, column: string) => `${schema}\u0000${table}\u0000${column}`;

/** For each table column, the view columns that show it (views of views followed down to tables). */
function viewExposures(views: ViewRow[], relations: RelationColumnsRow[]): Map<string, Array<{ view: QualifiedName; column: string }>> {
  const relationByOid = new Map(relations.map((r) => [Number(r.oid), r]));
  const origins = new Map(views.map((v) => [Number(v.oid), viewColumnOrigins(v.action)]));
  const resolve = (relation: number, column: number, depth = 0): { relation: number; column: number } | undefined => {
    const viewColumns = origins.get(relation);
    if (!viewColumns) return { relation, column };
    if (depth > 32) return undefined;
    const origin = viewColumns.find((c) => c.position === column);
    return origin ? resolve(origin.originRelation, origin.originColumn, depth + 1) : undefined;
  };
  const out = new Map<string, Array<{ view: QualifiedName; column: string }>>();
  for (const view of views) {
    for (const c of origins.get(Number(view.oid)) ?? []) {
      const base = resolve(c.originRelation, c.originColumn);
      const table = base && relationByOid.get(base.relation);
      const column = table?.columns[String(base!.column)];
      if (!table || column === undefined) continue;
      const k = columnKey(table.schema, table.name, column);
      out.set(k, [...(out.get(k) ?? []), { view: { schema: view.schema, name: view.name }, column: c.name }]);
    }
  }
  return out;
}

/** Each way `view` shows all `columns` of `table`, as lists of view column names (one per table column). */
function showings(exposures: ReturnType<typeof viewExposures>, table: QualifiedName, columns: string[]): Map<string, { view: QualifiedName; columns: string[][] }> {
  const byView = new Map<string, { view: QualifiedName; perColumn: string[][] }>();
  columns.forEach((column, i) => {
    for (const { view, column: viewColumn } of exposures.get(columnKey(table.schema, table.name, column)) ?? []) {
      const k = key(view.schema, view.name);
      const entry = byView.get(k) ?? { view, perColumn: columns.map(() => []) };
      entry.perColumn[i]!.push(viewColumn);
      byView.set(k, entry);
    }
  });
  const out = new Map<string, { view: QualifiedName; columns: string[][] }>();
  for (const [k, { view, perColumn }] of byView) {
    if (perColumn.some((c) => c.length === 0)) continue;
    // Every combination when a view shows the same column twice, as PostgREST does.
    const combos = perColumn.reduce<string[][]>((acc, options) => acc.flatMap((prefix) => options.map((o) => [...prefix, o])), [[]]);
    out.set(k, { view, columns: combos });
  }
  return out;
}

const same = (a: QualifiedName, b: QualifiedName) => a.schema === b.schema && a.name === b.name;

export function buildRelationships(
  tables: Map<string, Table>,
  fks: ForeignKeyRow[],
  views: ViewRow[],
  relations: RelationColumnsRow[],
  schemas: string[],
): Map<string, Relationship[]> {
  const isView = (q: QualifiedName) => tables.get(key(q.schema, q.name))?.isView ?? false;
  const exposures = viewExposures(views, relations);

  // Views show the primary keys of the tables whose key columns they all show.
  const viewPks = new Map<string, string[]>();
  for (const base of relations) {
    if (base.is_view || base.pk.length === 0) continue;
    for (const [viewKey, shown] of showings(exposures, base, base.pk)) viewPks.set(viewKey, [...(viewPks.get(viewKey) ?? []), ...shown.columns[0]!]);
  }
  for (const table of tables.values()) if (table.isView) table.pk = viewPks.get(key(table.schema, table.name)) ?? [];

  const direct: Relationship[] = fks.map((fk) => {
    const table = { schema: fk.schema, name: fk.table_name };
    const foreignTable = { schema: fk.foreign_schema, name: fk.foreign_table };
    return {
      table,
      foreignTable,
      isSelf: same(table, foreignTable),
      cardinality: fk.one_to_one ? 'o2o' : 'm2o',
      constraint: fk.constraint_name,
      columns: fk.columns.map((c, i) => [c, fk.foreign_columns[i] as string]),
      foreignTableIsView: false,
    };
  });

  const throughViews: Relationship[] = [];
  for (const rel of direct) {
    const fromViews = [...showings(exposures, rel.table, rel.columns.map(([c]) => c)).values()];
    const toViews = [...showings(exposures, rel.foreignTable, rel.columns.map(([, f]) => f)).values()];
    const make = (table: QualifiedName, foreignTable: QualifiedName, cols: string[], fcols: string[]): Relationship => ({
      ...rel,
      table,
      foreignTable,
      isSelf: same(table, foreignTable),
      columns: cols.map((c, i) => [c, fcols[i] as string]),
      foreignTableIsView: isView(foreignTable),
    });
    const tableCols = rel.columns.map(([c]) => c);
    const foreignCols = rel.columns.map(([, f]) => f);
    for (const v of fromViews) for (const cols of v.columns) throughViews.push(make(v.view, rel.foreignTable, cols, foreignCols));
    for (const w of toViews) for (const fcols of w.columns) throughViews.push(make(rel.table, w.view, tableCols, fcols));
    for (const v of fromViews) for (const cols of v.columns) for (const w of toViews) for (const fcols of w.columns) throughViews.push(make(v.view, w.view, cols, fcols));
  }
  const toOne = [...direct, ...throughViews];

  const m2m: Relationship[] = [];
  for (const r1 of toOne) {
    if (r1.cardinality !== 'm2o') continue;
    const pk = new Set(tables.get(key(r1.table.schema, r1.table.name))?.pk ?? []);
    for (const r2 of toOne) {
      if (r2.cardinality !== 'm2o' || r1.constraint === r2.constraint || !same(r1.table, r2.table)) continue;
      if (![...r1.columns, ...r2.columns].every(([c]) => pk.has(c))) continue;
      m2m.push({
        table: r1.foreignTable,
        foreignTable: r2.foreignTable,
        isSelf: same(r1.foreignTable, r2.foreignTable),
        cardinality: 'm2m',
        constraint: r1.constraint,
        columns: [],
        junction: {
          table: r1.table,
          constraint1: r1.constraint,
          constraint2: r2.constraint,
          sourceColumns: r1.columns.map(([jc, tc]) => [tc, jc]),
          targetColumns: r2.columns.map(([jc, fc]) => [fc, jc]),
        },
        foreignTableIsView: isView(r2.foreignTable),
      });
    }
  }

  const inverse: Relationship[] = toOne.map((r) => ({
    table: r.foreignTable,
    foreignTable: r.table,
    isSelf: r.isSelf,
    cardinality: r.cardinality === 'm2o' ? 'o2m' : 'o2o',
    constraint: r.constraint,
    columns: r.columns.map(([a, b]) => [b, a]),
    foreignTableIsView: isView(r.table),
    ...(r.cardinality === 'o2o' && { parent: true as const }),
  }));

  const exposed = new Set(schemas);
  const map = new Map<string, Relationship[]>();
  for (const rel of [...toOne, ...m2m, ...inverse]) {
    if (rel.table.schema !== rel.foreignTable.schema || !exposed.has(rel.table.schema)) continue;
    if (rel.junction && !exposed.has(rel.junction.table.schema)) continue;
    const k = key(rel.table.schema, rel.table.name);
    map.set(k, [...(map.get(k) ?? []), rel]);
  }
  return map;
}
