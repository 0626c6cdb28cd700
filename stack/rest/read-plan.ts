// The read plan (PostgREST's ReadPlan tree): the select tree resolved against the schema cache, with
// relationships for embedded resources, and every column, filter and order term checked and turned
// into SQL fragments whose values are bind parameters.
import { checkAggregatesAllowed, fieldSelectSql, hoistSpreadAggregates, type Aggregate } from './aggregates.ts';
import { ALL_ROWS, rangeFromParams } from './api-request.ts';
import { errors } from './errors.ts';
import { checkReadWidth } from './limits.ts';
import { findRelationship } from './relationships.ts';
import { isToOne, readableColumns, type Relationship, type SchemaCache } from './schema-cache.ts';
import { arrayLiteral, ident, limitOffsetSql, qualified, type Params } from './sql.ts';
import type { EmbedPath, Field, Filter, LogicTree, OrderTerm, QueryParams, RowRange, SelectItem } from './types.ts';

/** Where a node reads from, and how its columns are known and named. */
export interface Source {
  /** FROM item, e.g. `"public"."films"` or `"pgrst_source" AS "films"`. */
  from: string;
  /** Qualifier of column references. */
  ref: string;
  /** Name in error messages, and the origin when looking up relationships. */
  name: string;
  /** Known columns and their types; undefined when the relation itself does not exist. */
  columns: Map<string, string> | undefined;
  /** The relation in the request's schema, for Postgres' "relation does not exist" error. */
  relation: string;
}

export interface PlannedField {
  /** The select item: `expr`, aggregated, aliased. */
  sql: string;
  /** The key this field gets in the JSON output (for an aggregate without alias, the name a spread re-selects). */
  outputName: string;
  /** The column read, for RETURNING lists; '*' for all. */
  column: string;
  /** The column (or JSON path) with its cast. */
  expr: string;
  alias?: string;
  aggregate?: Aggregate;
  /** What GROUP BY names this field by when its level aggregates and it is not aggregated. */
  group: string;
}

export interface ReadNode {
  source: Source;
  depth: number;
  items: SelectItem[];
  fields: PlannedField[];
  filters: Filter[];
  logic: LogicTree[];
  order: OrderTerm[];
  range: RowRange;
  where: Condition[];
  orderSql: string[];
  limitSql: string;
  children: ReadNode[];
  /** On a spread embed: the aggregates its parent applies to its columns, by column name. */
  hoisted: Map<string, { aggregate: Aggregate; alias?: string }>;
  /** Set on embedded nodes. */
  embed?: {
    name: string;
    alias?: string;
    hint?: string;
    joinType?: 'inner' | 'left';
    spread: boolean;
    rel: Relationship;
    aggAlias: string;
    joinConditions: string[];
    /** The junction table of a many-to-many embedding, joined in the child's FROM. */
    junction?: string;
  };
}

/**
 * A WHERE condition. `is.null` on an embedded resource reads the embed's lateral join in the query,
 * but becomes `[NOT] EXISTS (...)` in the count query, which has no joins.
 */
export type Condition =
  | { kind: 'sql'; sql: string }
  | { kind: 'null-embed'; negated: boolean; child: ReadNode }
  | { kind: 'logic'; negated: boolean; op: 'and' | 'or'; children: Condition[] };

export interface ReadPlanContext {
  cache: SchemaCache;
  schema: string;
  params: Params;
  /** Cast types written in select, already resolved to SQL type names (undefined: no such type). */
  casts: Map<string, string | undefined>;
  /** Reads and RPC apply ranges and max rows; mutations do not. */
  applyRanges: boolean;
  maxRows: number;
  topRange: RowRange;
  /** Root filters are the mutation's own WHERE on writes; only embedded ones (and and/or trees) belong to the read. */
  rootFiltersInRead: boolean;
  /** `db-aggregates-enabled`. */
  aggregates: boolean;
}

const selName = (node: ReadNode) => node.embed?.alias ?? node.embed?.name ?? '';

function newNode(source: Source, depth: number, items: SelectItem[]): ReadNode {
  return { source, depth, items, fields: [], filters: [], logic: [], order: [], range: ALL_ROWS, where: [], orderSql: [], limitSql: '', children: [], hoisted: new Map() };
}

function initTree(root: ReadNode): void {
  const visit = (node: ReadNode) => {
    for (const item of node.items) {
      if (item.kind === 'field') continue;
      const child = newNode({ from: '', ref: '', name: item.name, columns: undefined, relation: item.name }, node.depth + 1, item.children);
      child.embed = {
        name: item.name,
        ...(item.kind === 'relation' && item.alias !== undefined && { alias: item.alias }),
        ...(item.hint !== undefined && { hint: item.hint }),
        ...(item.joinType && { joinType: item.joinType }),
        spread: item.kind === 'spread',
        rel: undefined as unknown as Relationship,
        aggAlias: '',
        joinConditions: [],
      };
      node.children.push(child);
      visit(child);
    }
  };
  visit(root);
}

function nodeAt(root: ReadNode, path: EmbedPath): ReadNode {
  let node = root;
  for (const segment of path) {
    const next = node.children.find((c) => c.embed?.name === segment || c.embed?.alias === segment);
    if (!next) throw errors.notEmbedded(segment);
    node = next;
  }
  return node;
}

function restrict(range: RowRange, maxRows: number): RowRange {
  if (range.lower === 0 && range.upper === -1) return range;
  return { lower: range.lower, upper: Math.min(range.upper, range.lower + maxRows - 1) };
}

function attachQueryParts(ctx: ReadPlanContext, root: ReadNode, query: QueryParams): void {
  for (const { path, filter } of query.filters) {
    if (path.length === 0 && !ctx.rootFiltersInRead) continue;
    nodeAt(root, path).filters.push(filter);
  }
  if (ctx.applyRanges) {
    for (const { path, terms } of query.order) nodeAt(root, path).order = terms;
    root.range = ctx.topRange;
    const keys = new Set([...query.limits.keys(), ...query.offsets.keys()]);
    for (const key of keys) {
      if (key === '') continue;
      nodeAt(root, key.split('.')).range = rangeFromParams(query, key);
    }
  }
  // Root and/or trees stay in the read even for mutations, as in PostgREST (so, like there, they
  // are evaluated again on the returned rows: PostgREST#3707).
  for (const { path, tree } of query.logic) nodeAt(root, path).logic.push(tree);
}

function joinConditions(rel: Relationship, childRef: string, parentRef: string, junctionRef: string | undefined): string[] {
  if (rel.junction && junctionRef) {
    return [
      ...rel.junction.targetColumns.map(([fc, jc]) => `${childRef}.${ident(fc)} = ${junctionRef}.${ident(jc)}`),
      ...rel.junction.sourceColumns.map(([tc, jc]) => `${junctionRef}.${ident(jc)} = ${parentRef}.${ident(tc)}`),
    ];
  }
  return rel.columns.map(([tc, fc]) => `${childRef}.${ident(fc)} = ${parentRef}.${ident(tc)}`);
}

function addRelationships(ctx: ReadPlanContext, node: ReadNode): void {
  for (const child of node.children) {
    const embed = child.embed!;
    const rel = findRelationship(ctx.cache, ctx.schema, node.source.name, embed.name, embed.hint);
    const table = ctx.cache.table(rel.foreignTable.schema, rel.foreignTable.name);
    const columns = table ? readableColumns(table) : undefined;
    const target = qualified(rel.foreignTable.schema, rel.foreignTable.name);
    embed.rel = rel;
    embed.aggAlias = `${rel.table.name}_${embed.alias ?? embed.name}_${child.depth}`;
    if (rel.junction) {
      // Like PostgREST, a many-to-many target is not aliased: the junction joins it implicitly.
      const junctionRef = qualified(rel.junction.table.schema, rel.junction.table.name);
      child.source = { from: target, ref: target, name: rel.foreignTable.name, columns, relation: rel.foreignTable.name };
      embed.junction = junctionRef;
      embed.joinConditions = joinConditions(rel, target, node.source.ref, junctionRef);
    } else {
      const alias = `${rel.foreignTable.name}_${child.depth}`;
      child.source = { from: `${target} AS ${ident(alias)}`, ref: ident(alias), name: rel.foreignTable.name, columns, relation: rel.foreignTable.name };
      embed.joinConditions = joinConditions(rel, ident(alias), node.source.ref, undefined);
    }
    addRelationships(ctx, child);
  }
}

/** The alias PostgREST gives a JSON path field: its last key (or the column for a trailing index). */
function jsonPathAlias(field: Field): string | undefined {
  const last = field.jsonPath.at(-1);
  if (!last) return undefined;
  if (last.key !== undefined) return last.key;
  return [...field.jsonPath].reverse().find((op) => op.key !== undefined)?.key ?? field.name;
}

function errorName(node: ReadNode): string {
  if (node.embed && !node.embed.rel.junction) return `${node.embed.rel.foreignTable.name}_${node.depth}`;
  return node.source.name;
}

function checkColumn(node: ReadNode, column: string): string {
  const type = node.source.columns?.get(column);
  if (type !== undefined) return type;
  // `t.count` with no such column is count(t) in Postgres' attribute notation, so `select=count` and
  // `rel(count)` count rows, as in PostgREST (and filtering on it fails there as here: 42803).
  if (column === 'count' && node.source.columns) return 'bigint';
  throw errors.undefinedColumn(errorName(node), column);
}

function jsonPathSql(ctx: ReadPlanContext, field: Field): string {
  return field.jsonPath
    .map((op) => (op.key !== undefined ? `${op.arrow}${ctx.params.add(op.key)}` : `${op.arrow}${ctx.params.add(op.index ?? '0')}::int`))
    .join('');
}

/** A column reference with its JSON path; non-JSON columns go through to_jsonb first, as in PostgREST. */
function fieldSql(ctx: ReadPlanContext, node: ReadNode, field: Field): string {
  const type = checkColumn(node, field.name);
  const column = `${node.source.ref}.${ident(field.name)}`;
  if (field.jsonPath.length === 0) return column;
  const base = type === 'json' || type === 'jsonb' ? column : `to_jsonb(${column})`;
  return base + jsonPathSql(ctx, field);
}

function castType(ctx: ReadPlanContext, cast: string): string {
  const type = ctx.casts.get(cast);
  if (type === undefined) throw errors.undefinedType(cast);
  return type;
}

/** The table columns a `*` stands for (not computed fields), in their order. */
function starColumns(ctx: ReadPlanContext, node: ReadNode): string[] {
  const name = node.embed ? node.embed.rel.foreignTable : { schema: ctx.schema, name: node.source.name };
  const table = ctx.cache.table(name.schema, name.name);
  return table ? [...table.columns.keys()] : [...(node.source.columns?.keys() ?? [])];
}

function plainField(sql: string, column: string, alias?: string): PlannedField {
  const f: PlannedField = { sql: '', outputName: alias ?? column, column, expr: sql, ...(alias !== undefined && { alias }), group: sql };
  f.sql = fieldSelectSql(f);
  return f;
}

/**
 * Columns as select items. A `*` is spelled out as columns when this level or one above uses an
 * aggregate (so that it can be grouped by), as PostgREST's expandStars does.
 */
function resolveFields(ctx: ReadPlanContext, node: ReadNode, parentAggregates = false): void {
  const aggregates = parentAggregates || node.items.some((i) => i.kind === 'field' && i.aggregate !== undefined);
  const ref = node.source.ref;
  for (const item of node.items) {
    if (item.kind !== 'field') continue;
    const star = item.field.name === '*' && item.field.jsonPath.length === 0;
    if (star && !item.aggregate) {
      if (aggregates) for (const column of starColumns(ctx, node)) node.fields.push(plainField(`${ref}.${ident(column)}`, column));
      else node.fields.push({ sql: `${ref}.*`, outputName: '*', column: '*', expr: `${ref}.*`, group: `${ref}.*` });
      continue;
    }
    const column = star ? `${ref}.*` : fieldSql(ctx, node, item.field);
    const expr = item.cast === undefined ? column : `CAST( ${column} AS ${castType(ctx, item.cast)} )`;
    if (item.aggregate) {
      const aggregate: Aggregate = { fn: item.aggregate, ...(item.aggregateCast !== undefined && { castType: castType(ctx, item.aggregateCast) }) };
      const f: PlannedField = { sql: '', outputName: item.alias ?? item.field.name, column: item.field.name, expr, aggregate, group: item.alias === undefined ? column : ident(item.alias), ...(item.alias !== undefined && { alias: item.alias }) };
      f.sql = fieldSelectSql(f);
      node.fields.push(f);
      continue;
    }
    const alias = item.alias ?? jsonPathAlias(item.field);
    const f = plainField(expr, item.field.name, alias);
    // PostgREST groups by the alias when there is one, else by the column without its cast.
    f.group = alias === undefined ? column : ident(alias);
    node.fields.push(f);
  }
  for (const child of node.children) resolveFields(ctx, child, aggregates);
}

const SIMPLE_SQL = { neq: '<>', cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-' } as const;
const QUANT_SQL = { eq: '=', gte: '>=', gt: '>', lte: '<=', lt: '<', like: 'like', ilike: 'ilike', match: '~', imatch: '~*' } as const;
const FTS_SQL = { fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery' } as const;

function filterCondition(ctx: ReadPlanContext, node: ReadNode, filter: Filter): Condition {
  const { field, expr } = filter;
  const embedded = field.jsonPath.length === 0 ? node.children.find((c) => selName(c) === field.name) : undefined;
  if (embedded && expr.operation.kind === 'is' && expr.operation.value === 'null') return { kind: 'null-embed', negated: expr.negated, child: embedded };
  return { kind: 'sql', sql: filterSql(ctx, node, filter) };
}

/** A filter on a column of `node` as SQL. */
export function filterSql(ctx: ReadPlanContext, node: ReadNode, filter: Filter): string {
  const { field, expr } = filter;
  const lhs = fieldSql(ctx, node, field);
  const op = expr.operation;
  const p = (v: string) => ctx.params.add(v);
  let rhs: string;
  switch (op.kind) {
    case 'simple':
      rhs = `${SIMPLE_SQL[op.op]} ${p(op.value)}`;
      break;
    case 'quant': {
      const value = op.op === 'like' || op.op === 'ilike' ? op.value.replaceAll('*', '%') : op.value;
      const placeholder = p(value);
      rhs = `${QUANT_SQL[op.op]} ${op.quantifier ? `${op.quantifier.toUpperCase()}(${placeholder})` : placeholder}`;
      break;
    }
    case 'in':
      rhs = op.values.length === 1 && op.values[0] === '' ? `= ANY('{}')` : `= ANY (${p(arrayLiteral(op.values))})`;
      break;
    case 'is':
      rhs = `IS ${op.value.toUpperCase()}`;
      break;
    case 'isdistinct':
      rhs = `IS DISTINCT FROM ${p(op.value)}`;
      break;
    case 'fts':
      rhs = `@@ ${FTS_SQL[op.op]}(${op.language !== undefined ? `${p(op.language)}, ` : ''}${p(op.value)})`;
      break;
  }
  return `${expr.negated ? 'NOT ' : ''}${lhs} ${rhs}`;
}

function logicCondition(ctx: ReadPlanContext, node: ReadNode, tree: LogicTree): Condition {
  if (tree.kind === 'filter') return filterCondition(ctx, node, tree.filter);
  return { kind: 'logic', negated: tree.negated, op: tree.op, children: tree.children.map((c) => logicCondition(ctx, node, c)) };
}

/** The to-one embed `order=rel(col)` orders by (PGRST108 / PGRST118 otherwise). */
function relatedOrderChild(node: ReadNode, relation: string): ReadNode {
  const child = node.children.find((c) => selName(c) === relation);
  if (!child) throw errors.notEmbedded(relation);
  if (!isToOne(child.embed!.rel)) throw errors.relatedOrderNotToOne(node.source.name, relation);
  return child;
}

export function orderSql(ctx: ReadPlanContext, node: ReadNode, term: OrderTerm): string {
  let sql: string;
  if (term.relation !== undefined) {
    const child = relatedOrderChild(node, term.relation);
    checkColumn(child, term.field.name);
    sql = `${ident(child.embed!.aggAlias)}.${ident(term.field.name)}${jsonPathSql(ctx, term.field)}`;
  } else sql = fieldSql(ctx, node, term.field);
  const direction = term.direction ? ` ${term.direction.toUpperCase()}` : '';
  const nulls = term.nulls ? ` NULLS ${term.nulls.toUpperCase()}` : '';
  return sql + direction + nulls;
}

/** Related orders and spreads are validated before aggregates and before any column, as PostgREST plans them. */
function checkRelatedOrders(node: ReadNode): void {
  for (const term of node.order) if (term.relation !== undefined) relatedOrderChild(node, term.relation);
  for (const child of node.children) checkRelatedOrders(child);
}

/** PostgREST v12 spreads only to-one relationships (v13 spreads to-many ones as arrays). */
function checkSpreads(node: ReadNode): void {
  for (const child of node.children) {
    if (child.embed!.spread && !isToOne(child.embed!.rel)) throw errors.spreadNotToOne(child.embed!.rel.table.name, child.embed!.name);
    checkSpreads(child);
  }
}

function resolveConditions(ctx: ReadPlanContext, node: ReadNode): void {
  node.where = [...node.logic.map((t) => logicCondition(ctx, node, t)), ...node.filters.map((f) => filterCondition(ctx, node, f))];
  node.orderSql = node.order.map((t) => orderSql(ctx, node, t));
  if (ctx.applyRanges) {
    node.range = restrict(node.range, ctx.maxRows);
    node.limitSql = limitOffsetSql(node.range, ctx.params);
  }
  for (const child of node.children) resolveConditions(ctx, child);
}

/** Builds the read plan of `query` over `source`: relationships first, then columns, as errors surface in PostgREST. */
export function planRead(ctx: ReadPlanContext, source: Source, query: QueryParams): ReadNode {
  const root = newNode(source, 0, query.select);
  initTree(root);
  attachQueryParts(ctx, root, query);
  addRelationships(ctx, root);
  checkRelatedOrders(root);
  checkSpreads(root);
  checkAggregatesAllowed(root, ctx.aggregates);
  if (!source.columns) throw errors.undefinedTable(ctx.schema, source.relation);
  resolveFields(ctx, root);
  checkReadWidth(root);
  resolveConditions(ctx, root);
  hoistSpreadAggregates(root);
  return root;
}

/** Whether the node selects nothing of its own and all its embeds are empty too (`rel()`). */
export function isEmptyEmbed(node: ReadNode): boolean {
  return node.items.every((i) => i.kind !== 'field') && node.children.every(isEmptyEmbed);
}

/** Columns a mutation must return so the read can select and embed: selected ones, FK columns, and the PK. */
export function returningColumns(root: ReadNode, pk: string[]): string[] {
  const selected = root.fields.map((f) => f.column);
  if (selected.includes('*') || (root.fields.length === 0 && root.children.length === 0)) return ['*'];
  const fkColumns = root.children.flatMap((c) => {
    const rel = c.embed!.rel;
    return rel.junction ? rel.junction.sourceColumns.map(([tc]) => tc) : rel.columns.map(([tc]) => tc);
  });
  return [...new Set([...selected, ...fkColumns, ...pk])].sort();
}
