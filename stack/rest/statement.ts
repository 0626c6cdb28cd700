// Running the one statement of a request and reading its single result row.
import type pg from 'pg';
import { errors } from './errors.ts';
import { MAX_RESPONSE_BYTES } from './limits.ts';
import { preparedQuery } from './prepared.ts';

export interface StatementRow {
  tableTotal: number | undefined;
  pageTotal: number;
  body: string;
  gucHeaders: string | null;
  gucStatus: string | null;
  /** `key=eq.value` pairs of an inserted row's primary key, for Location. */
  location: string[];
  /** Rows inserted (not updated) by an upsert. */
  inserted: number | undefined;
}

interface RawRow {
  total_result_set: string | null;
  page_total: string;
  body: string | null;
  /** octet_length of the body; the body itself is null past MAX_RESPONSE_BYTES. */
  body_bytes?: number | string | null;
  response_headers: string | null;
  response_status: string | null;
  header?: string[] | null;
  response_inserted?: string | null;
}

export type Statement = { text: string; values: Array<string | Buffer | null> };

export async function execute(client: pg.PoolClient, statement: Statement): Promise<StatementRow> {
  const row = (await client.query<RawRow>(preparedQuery(client, statement.text, statement.values))).rows[0];
  if (!row) return { tableTotal: undefined, pageTotal: 0, body: '', gucHeaders: null, gucStatus: null, location: [], inserted: undefined };
  const bytes = Number(row.body_bytes ?? 0);
  if (bytes > MAX_RESPONSE_BYTES) throw errors.responseTooLarge(bytes, MAX_RESPONSE_BYTES);
  const inserted = row.response_inserted === undefined || row.response_inserted === null || row.response_inserted === '' ? undefined : Number(row.response_inserted);
  return {
    tableTotal: row.total_result_set === null || row.total_result_set === '' ? undefined : Number(row.total_result_set),
    pageTotal: Number(row.page_total),
    body: row.body ?? '',
    gucHeaders: row.response_headers,
    gucStatus: row.response_status,
    location: row.header ?? [],
    inserted,
  };
}

/** The planner's row estimate for a count query (Prefer: count=planned). */
async function plannedRows(client: pg.PoolClient, countQuery: Statement): Promise<number | undefined> {
  const result = await client.query<{ 'QUERY PLAN': Array<{ Plan?: { 'Plan Rows'?: number } }> }>({
    text: `EXPLAIN (FORMAT JSON) ${countQuery.text}`,
    values: countQuery.values,
  });
  const rows = result.rows[0]?.['QUERY PLAN']?.[0]?.Plan?.['Plan Rows'];
  return typeof rows === 'number' ? rows : undefined;
}

/** Runs a read/RPC statement and settles the total for count=planned|estimated as PostgREST does. */
export async function executeCounted(
  client: pg.PoolClient,
  statement: Statement,
  count: 'exact' | 'planned' | 'estimated' | undefined,
  countQuery: Statement,
  maxRows: number,
): Promise<StatementRow> {
  const row = await execute(client, statement);
  if (count === 'planned') return { ...row, tableTotal: await plannedRows(client, countQuery) };
  if (count === 'estimated' && row.tableTotal !== undefined && row.tableTotal > maxRows) {
    const planned = await plannedRows(client, countQuery);
    return { ...row, tableTotal: Math.max(row.tableTotal, planned ?? 0) };
  }
  return row;
}
