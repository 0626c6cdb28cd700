// Aggregate functions in select (`count()`, `col.sum()`, ... with `db-aggregates-enabled`), as
// PostgREST 12 plans them (Plan.hs: validateAggFunctions, hoistSpreadAggFunctions; SqlFragment.hs:
// groupF): a level with an aggregate groups by its other selected columns and embeds, and the
// aggregates of a spread embed are applied one level up, in the query that re-selects its columns.
import { errors } from './errors.ts';
import type { PlannedField, ReadNode } from './read-plan.ts';
import { ident } from './sql.ts';
import type { AggregateFunction } from './types.ts';

export interface Aggregate {
  fn: AggregateFunction;
  /** The resolved SQL type of a cast applied to the aggregate's result (`col.sum()::int`). */
  castType?: string;
}

/** A column a spread embed hands to its parent, with the aggregate the parent applies to it. */
export interface SpreadColumn {
  name: string;
  aggregate?: Aggregate;
  alias?: string;
}

/** `SUM(expr)`, cast when asked; the result is named by Postgres (`sum`) unless aliased. */
export function applyAggregate(aggregate: Aggregate | undefined, expr: string): string {
  if (!aggregate) return expr;
  const call = `${aggregate.fn.toUpperCase()}(${expr})`;
  return aggregate.castType === undefined ? call : `CAST( ${call} AS ${aggregate.castType} )`;
}

export function fieldSelectSql(f: PlannedField): string {
  const sql = applyAggregate(f.aggregate, f.expr);
  return f.alias === undefined ? sql : `${sql} AS ${ident(f.alias)}`;
}

/** Whether the select tree uses an aggregate anywhere (PGRST123 when they are disabled). */
export function usesAggregates(node: ReadNode): boolean {
  return node.items.some((i) => i.kind === 'field' && i.aggregate !== undefined) || node.children.some(usesAggregates);
}

export function checkAggregatesAllowed(root: ReadNode, enabled: boolean): void {
  if (!enabled && usesAggregates(root)) throw errors.aggregatesNotAllowed();
}

/**
 * Moves the aggregates of every spread embed out of its own SELECT into `hoisted`, keyed by the name
 * its parent re-selects the column by (the alias, else the column).
 */
export function hoistSpreadAggregates(node: ReadNode): void {
  for (const child of node.children) {
    hoistSpreadAggregates(child);
    if (!child.embed!.spread) continue;
    for (const f of child.fields) {
      if (!f.aggregate) continue;
      child.hoisted.set(f.outputName, { aggregate: f.aggregate, ...(f.alias !== undefined && { alias: f.alias }) });
      delete f.aggregate;
      f.sql = fieldSelectSql(f);
    }
  }
}

/**
 * The columns a spread embed hands to its parent: its own fields, its embeds, and the columns of its
 * own spreads (by name, as PostgREST lists them before hoisting), with the aggregates hoisted to
 * this level matched by name.
 */
export function spreadColumns(child: ReadNode, isEmptyEmbed: (n: ReadNode) => boolean): SpreadColumn[] {
  const names = (node: ReadNode): string[] => [
    ...node.fields.map((f) => f.outputName),
    ...node.children.flatMap((c) => (c.embed!.spread ? names(c) : isEmptyEmbed(c) ? [] : [c.embed!.alias ?? c.embed!.name])),
  ];
  return names(child).map((name) => ({ name, ...child.hoisted.get(name) }));
}

/** GROUP BY terms of a level that aggregates, or none. */
export function groupTerms(node: ReadNode, isEmptyEmbed: (n: ReadNode) => boolean): string[] {
  const spreads = node.children.filter((c) => c.embed!.spread).map((c) => ({ c, columns: spreadColumns(c, isEmptyEmbed) }));
  const aggregated = node.fields.some((f) => f.aggregate) || spreads.some(({ columns }) => columns.some((s) => s.aggregate));
  if (!aggregated) return [];
  const terms = node.fields.filter((f) => !f.aggregate).map((f) => f.group);
  for (const child of node.children) {
    const embed = child.embed!;
    if (!embed.spread) {
      terms.push(ident(embed.alias ?? embed.name));
      continue;
    }
    const columns = spreads.find((s) => s.c === child)!.columns;
    for (const s of columns) if (!s.aggregate) terms.push(`${ident(embed.aggAlias)}.${ident(s.alias ?? s.name)}`);
  }
  return terms;
}
