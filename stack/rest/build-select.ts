// SQL for reads: the read plan as one query with lateral joins for embedded resources (json_agg for
// to-many, row_to_json for to-one), the count query, and the statement that returns the response body.
import { applyAggregate, groupTerms, spreadColumns } from './aggregates.ts';
import { isEmptyEmbed, type Condition, type ReadNode } from './read-plan.ts';
import { ident } from './sql.ts';
import type { Output } from './media.ts';
import { isToOne } from './schema-cache.ts';
import { MAX_RESPONSE_BYTES } from './limits.ts';

function conditionSql(c: Condition, count: boolean): string {
  switch (c.kind) {
    case 'sql':
      return c.sql;
    case 'null-embed':
      return count
        ? `${c.negated ? '' : 'NOT '}EXISTS (${countQuery(c.child)})`
        : `${ident(c.child.embed!.aggAlias)} IS ${c.negated ? '' : 'NOT '}DISTINCT FROM NULL`;
    case 'logic':
      return `${c.negated ? 'NOT ' : ''}(${c.children.map((x) => conditionSql(x, count)).join(c.op === 'and' ? ' AND ' : ' OR ')})`;
  }
}

/** What a parent selects from an embedded child's lateral join. */
function embedSelects(child: ReadNode): string[] {
  const embed = child.embed!;
  const agg = ident(embed.aggAlias);
  if (embed.spread) {
    return spreadColumns(child, isEmptyEmbed).map((s) => {
      const sql = applyAggregate(s.aggregate, s.name === '*' ? `${agg}.*` : `${agg}.${ident(s.name)}`);
      return s.alias === undefined ? sql : `${sql} AS ${ident(s.alias)}`;
    });
  }
  if (isEmptyEmbed(child)) return [];
  const name = ident(embed.alias ?? embed.name);
  return isToOne(embed.rel) ? [`row_to_json(${agg}.*)::jsonb AS ${name}`] : [`COALESCE( ${agg}.${agg}, '[]') AS ${name}`];
}

function joinSql(child: ReadNode): string {
  const embed = child.embed!;
  const agg = ident(embed.aggAlias);
  const join = embed.joinType === 'inner' ? 'INNER' : 'LEFT';
  const sub = readQuery(child);
  if (embed.spread || isToOne(embed.rel)) return `${join} JOIN LATERAL ( ${sub} ) AS ${agg} ON TRUE`;
  const aggregated = `SELECT json_agg(${agg})::jsonb AS ${agg} FROM (${sub} ) AS ${agg}`;
  return `${join} JOIN LATERAL ( ${aggregated} ) AS ${agg} ON ${embed.joinType === 'inner' ? `${agg} IS NOT NULL` : 'TRUE'}`;
}

function fromSql(node: ReadNode): string {
  return node.source.from + (node.embed?.junction ? `, ${node.embed.junction}` : '');
}

/** The read plan as one SELECT. */
export function readQuery(node: ReadNode): string {
  const own = node.fields.map((f) => f.sql);
  const selects = [...(own.length === 0 && node.children.length === 0 ? [`${node.source.ref}.*`] : own), ...node.children.flatMap(embedSelects)];
  const where = [...node.where.map((c) => conditionSql(c, false)), ...(node.embed?.joinConditions ?? [])];
  const group = groupTerms(node, isEmptyEmbed);
  return (
    `SELECT ${selects.length ? selects.join(', ') : 'NULL'} FROM ${fromSql(node)}` +
    node.children.map((c) => ' ' + joinSql(c)).join('') +
    (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
    (group.length ? ` GROUP BY ${group.join(', ')}` : '') +
    (node.orderSql.length ? ` ORDER BY ${node.orderSql.join(', ')}` : '') +
    node.limitSql
  );
}

/** Rows a read would return before paging: its filters and the inner-joined embeds, nothing else. */
export function countQuery(node: ReadNode): string {
  const where = [
    ...node.where.map((c) => conditionSql(c, true)),
    ...(node.embed?.joinConditions ?? []),
    ...node.children.filter((c) => c.embed!.joinType === 'inner').map((c) => `EXISTS (${countQuery(c)} )`),
  ];
  return `SELECT 1 FROM ${fromSql(node)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
}

/** The response body of rows in `_postgrest_t`, as PostgREST's media handlers aggregate it. */
export function bodySql(output: Output | 'none', column = '_postgrest_t'): string {
  if (output === 'none') return `''::text`;
  switch (output.kind) {
    case 'json':
      return `coalesce(json_agg(${column}), '[]')::text`;
    case 'json-stripped':
      return `coalesce(json_strip_nulls(json_agg(${column})), '[]')::text`;
    case 'single':
      return output.stripNulls ? `coalesce(json_strip_nulls(json_agg(${column})->0), 'null')::text` : `coalesce(json_agg(${column})->0, 'null')::text`;
    case 'csv':
      return (
        `(SELECT coalesce(string_agg(a.k, ','), '') FROM (SELECT json_object_keys(r)::text as k FROM (SELECT row_to_json(hh) as r from pgrst_source as hh limit 1) s) a)` +
        ` || '\n' || coalesce(string_agg(substring(_postgrest_t::text, 2, length(_postgrest_t::text) - 2), '\n'), '')`
      );
  }
}

export const RESPONSE_GUCS = `nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status`;

/**
 * The end of a statement's WITH list: `response` (a SELECT with a `pgrst_body` column and `columns`)
 * as one more CTE, and the final SELECT that sends the body only when it is within
 * MAX_RESPONSE_BYTES, with its size in `body_bytes`, so an oversized body never leaves Postgres.
 */
export function cappedResponse(response: string, columns: string[]): string {
  return (
    `, pgrst_response AS (${response}) SELECT ${columns.join(', ')}, ` +
    `CASE WHEN octet_length(pgrst_body) <= ${MAX_RESPONSE_BYTES} THEN pgrst_body END AS body, octet_length(pgrst_body) AS body_bytes FROM pgrst_response`
  );
}

export const RESPONSE_COLUMNS = ['total_result_set', 'page_total', 'response_headers', 'response_status'];

/** The whole read statement: rows, optional exact count, page size and body in one round trip. */
export function readStatement(root: ReadNode, output: Output | 'none', withCount: boolean, countLimit?: number): string {
  return (
    `WITH pgrst_source AS ( ${readQuery(root)} )` +
    (withCount ? `, pgrst_source_count AS (${countQuery(root)}${countLimit === undefined ? '' : ` LIMIT ${countLimit}`})` : '') +
    cappedResponse(
      `SELECT ${withCount ? '(SELECT pg_catalog.count(*) FROM pgrst_source_count)' : 'null::bigint'} AS total_result_set,` +
        ` pg_catalog.count(_postgrest_t) AS page_total, ${bodySql(output)} AS pgrst_body, ${RESPONSE_GUCS}` +
        ` FROM ( SELECT * FROM pgrst_source ) _postgrest_t`,
      RESPONSE_COLUMNS,
    )
  );
}
