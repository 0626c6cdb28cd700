// Execution plans (`Accept: application/vnd.pgrst.plan`, PostgREST's Statements.mtSnippet/planRow): the
// request's own statement under EXPLAIN, answered 200 with the plan's media type. As in PostgREST, the
// statement really runs with `options=analyze` (a write commits unless `Prefer: tx=rollback`), and the
// checks that need a result (singular, max-affected, PUT's primary key, planned counts) are skipped.
import type pg from 'pg';
import type { ApiResponse } from '../service.ts';
import type { RestRequest } from './api-request.ts';
import type { Plan } from './media.ts';
import { profileHeaders } from './response.ts';
import type { Statement } from './statement.ts';
import { MAX_RESPONSE_BYTES } from './limits.ts';

const asText = { getTypeParser: () => (value: string) => value };

/**
 * The statement without the stack's response-size cap (build-select.ts cappedResponse), so the plan is
 * the one PostgREST shows: the aggregate of the response at the top, no Subquery Scan above it.
 */
function uncapped(text: string): string {
  const tail = `, CASE WHEN octet_length(pgrst_body) <= ${MAX_RESPONSE_BYTES} THEN pgrst_body END AS body, octet_length(pgrst_body) AS body_bytes FROM pgrst_response`;
  if (!text.endsWith(tail)) return text;
  const select = text.lastIndexOf(' SELECT ', text.length - tail.length);
  return select < 0 ? text : `${text.slice(0, select)} SELECT * FROM pgrst_response`;
}

/** Runs `EXPLAIN (FORMAT ..., options) statement` and returns its rows as lines, as PostgREST does (BS.unlines). */
export async function explain(client: pg.PoolClient, plan: Plan, statement: Statement): Promise<string> {
  const options = [`FORMAT ${plan.format.toUpperCase()}`, ...plan.options.map((o) => o.toUpperCase())].join(', ');
  const result = await client.query<[string]>({ text: `EXPLAIN (${options}) ${uncapped(statement.text)}`, values: statement.values, rowMode: 'array', types: asText });
  return result.rows.map((row) => `${row[0]}\n`).join('');
}

export function planResponse(req: RestRequest, plan: Plan, body: string): ApiResponse {
  return { status: 200, headers: { 'content-type': plan.contentType, ...profileHeaders(req.schema, req.negotiatedByProfile) }, body };
}
