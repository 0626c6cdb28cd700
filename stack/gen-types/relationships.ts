// The Relationships arrays postgrest-js reads to type embedded selects: one entry per foreign key
// on the referencing relation, plus the same key seen through every view that shows all of its
// columns (view → table, table → view, view → view), as postgres-meta derives them.
import { viewColumnOrigins } from '../rest/view-columns.ts';
import type { Catalog, ForeignKey } from './catalog.ts';
import { compareNames } from './collate.ts';

export interface TsRelationship {
  foreignKeyName: string;
  schema: string;
  relation: string;
  columns: string[];
  isOneToOne: boolean;
  referencedSchema: string;
  referencedRelation: string;
  referencedColumns: string[];
}

interface Showing {
  viewId: number;
  column: string;
}

const columnKey = (relationId: number, position: number) => `${relationId}:${position}`;

/** For each relation column, the view columns that show it, directly or through other views. */
function viewShowings(catalog: Catalog): Map<string, Showing[]> {
  const origins = new Map(catalog.viewTrees.map((v) => [v.id, viewColumnOrigins(v.tree)]));
  const viewColumnName = new Map(catalog.columns.map((c) => [columnKey(c.relationId, c.position), c.name]));
  const out = new Map<string, Showing[]>();
  for (const [viewId, columns] of origins) {
    for (const column of columns) {
      const name = viewColumnName.get(columnKey(viewId, column.position)) ?? column.name;
      let at: { relation: number; position: number } | undefined = { relation: column.originRelation, position: column.originColumn };
      for (let depth = 0; at && depth < 32; depth++) {
        const k = columnKey(at.relation, at.position);
        out.set(k, [...(out.get(k) ?? []), { viewId, column: name }]);
        const next: { originRelation: number; originColumn: number } | undefined = origins.get(at.relation)?.find((c) => c.position === at!.position);
        at = next && { relation: next.originRelation, position: next.originColumn };
      }
    }
  }
  return out;
}

/** Every way each view shows all the given columns of a relation: one list of view column names per way. */
function viewsShowing(showings: Map<string, Showing[]>, relationId: number, positions: number[]): Array<{ viewId: number; columns: string[][] }> {
  const perView = new Map<number, string[][]>();
  positions.forEach((position, i) => {
    for (const { viewId, column } of showings.get(columnKey(relationId, position)) ?? []) {
      const lists = perView.get(viewId) ?? positions.map(() => []);
      lists[i]!.push(column);
      perView.set(viewId, lists);
    }
  });
  const out: Array<{ viewId: number; columns: string[][] }> = [];
  for (const [viewId, lists] of perView) {
    if (lists.some((l) => l.length === 0)) continue;
    const combinations = lists.reduce<string[][]>((acc, options) => acc.flatMap((prefix) => options.map((o) => [...prefix, o])), [[]]);
    out.push({ viewId, columns: combinations });
  }
  return out;
}

export function relationshipsOf(catalog: Catalog): TsRelationship[] {
  const relationById = new Map(catalog.relations.map((r) => [r.id, r]));
  const showings = viewShowings(catalog);
  const direct = (fk: ForeignKey): TsRelationship => ({
    foreignKeyName: fk.name,
    schema: fk.schema,
    relation: fk.relation,
    columns: fk.columns,
    isOneToOne: fk.oneToOne,
    referencedSchema: fk.referencedSchema,
    referencedRelation: fk.referencedRelation,
    referencedColumns: fk.referencedColumns,
  });
  // Views outside the generated schemas only matter as steps between a view and its tables.
  const shownBy = (relationId: number, positions: number[]) =>
    viewsShowing(showings, relationId, positions).flatMap(({ viewId, columns }) => {
      const view = relationById.get(viewId);
      return view ? columns.map((cols) => ({ view, cols })) : [];
    });
  const throughViews = catalog.foreignKeys.flatMap((fk) => {
    const base = direct(fk);
    const from = shownBy(fk.relationId, fk.positions).map(({ view, cols }) => ({ schema: view.schema, relation: view.name, columns: cols }));
    const to = shownBy(fk.referencedRelationId, fk.referencedPositions).map(({ view, cols }) => ({
      referencedSchema: view.schema,
      referencedRelation: view.name,
      referencedColumns: cols,
    }));
    return [
      ...from.map((f) => ({ ...base, ...f })),
      ...to.map((t) => ({ ...base, ...t })),
      ...from.flatMap((f) => to.map((t) => ({ ...base, ...f, ...t }))),
    ];
  });
  return [...catalog.foreignKeys.map(direct), ...throughViews].sort(
    (a, b) =>
      compareNames(a.foreignKeyName, b.foreignKeyName) ||
      compareNames(a.referencedRelation, b.referencedRelation) ||
      compareNames(JSON.stringify(a.referencedColumns), JSON.stringify(b.referencedColumns)),
  );
}

/** The relationships listed on a relation: those it starts from that end in its own schema. */
export function relationshipsFrom(all: TsRelationship[], schema: string, name: string): TsRelationship[] {
  return all.filter((r) => r.schema === schema && r.relation === name && r.referencedSchema === schema);
}
