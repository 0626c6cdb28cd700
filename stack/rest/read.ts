// GET and HEAD on a table or view.
import type { RestRequest } from './api-request.ts';
import { countQuery, readStatement } from './build-select.ts';
import { errors } from './errors.ts';
import { negotiatePlan } from './media.ts';
import { explain, planResponse } from './plan.ts';
import { preferenceApplied } from './preferences.ts';
import { planRead, type ReadPlanContext } from './read-plan.ts';
import { errorResponse, profileHeaders, rangeStatus, withGucOverrides } from './response.ts';
import type { Env } from './env.ts';
import { readableColumns } from './schema-cache.ts';
import { Params, compactParams, qualified } from './sql.ts';
import type { DbWork } from './transaction.ts';
import { executeCounted, type StatementRow } from './statement.ts';

export function planReadRequest(req: RestRequest, env: Env): DbWork {
  if (req.action.kind !== 'read') throw new Error('not a read');
  const { relation, headOnly } = req.action;
  const table = env.cache.table(req.schema, relation);
  const params = new Params();
  const ctx: ReadPlanContext = {
    cache: env.cache,
    schema: req.schema,
    params,
    casts: env.casts,
    applyRanges: true,
    maxRows: env.config.maxRows,
    topRange: req.topRange,
    rootFiltersInRead: true,
    aggregates: env.config.aggregates,
  };
  const ref = qualified(req.schema, relation);
  const columns = table ? readableColumns(table) : undefined;
  const root = planRead(ctx, { from: ref, ref, name: relation, columns, relation }, req.query);
  const { output, plan } = negotiatePlan(req.accept, env.config.planEnabled);
  if (req.prefs.handling === 'strict' && req.prefs.invalid.length > 0) throw errors.invalidPreferences(req.prefs.invalid);

  const count = req.prefs.count;
  const withCount = count === 'exact' || count === 'estimated';
  const statement = compactParams(readStatement(root, headOnly ? 'none' : output, withCount, count === 'estimated' ? env.config.maxRows + 1 : undefined), params.values);
  const plannedCount = compactParams(countQuery(root), params.values);

  return {
    readOnly: true,
    run: async (client) => {
      if (plan) {
        const body = await explain(client, plan, statement);
        return { rollback: req.prefs.transaction === 'rollback', respond: () => planResponse(req, plan, body) };
      }
      const row = await executeCounted(client, statement, count, plannedCount, env.config.maxRows);
      if (output.kind === 'single' && row.pageTotal !== 1) throw errors.singular(row.pageTotal);
      return { rollback: req.prefs.transaction === 'rollback', respond: () => readResponse(req, row, output.contentType, headOnly) };
    },
  };
}

function readResponse(req: RestRequest, row: StatementRow, contentType: string, headOnly: boolean) {
  const { status, contentRange: range } = rangeStatus(req.topRange, row.pageTotal, row.tableTotal);
  const applied = preferenceApplied({ count: req.prefs.count, transaction: req.prefs.transaction, handling: req.prefs.handling, timezone: req.prefs.timezone });
  const headers: Record<string, string> = {
    'Content-Range': range,
    'Content-Location': `/${req.action.kind === 'read' ? req.action.relation : ''}${req.query.canonical ? `?${req.query.canonical}` : ''}`,
    'content-type': contentType,
    ...profileHeaders(req.schema, req.negotiatedByProfile),
    ...(applied && { 'Preference-Applied': applied }),
  };
  if (status === 416) {
    const err = errors.outOfBounds(req.topRange.lower, row.tableTotal ?? 0);
    return withGucOverrides({ ...errorResponse(err), headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } }, row.gucHeaders, row.gucStatus);
  }
  return withGucOverrides({ status, headers, body: headOnly ? '' : row.body }, row.gucHeaders, row.gucStatus);
}
