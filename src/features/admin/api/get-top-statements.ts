import { queryOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase.ts';
import { useLiveQuery } from '../hooks/use-live-query.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { monitoringKeys } from './keys.ts';
import type { StatementRow } from './rows.ts';

/** Statements by total execution time since pg_stat_statements was reset; 503 statements_unavailable without it. */
export async function getTopStatements(signal: AbortSignal): Promise<StatementRow[]> {
  const { data, error } = await supabase.rpc('admin_top_statements', { max_rows: 10 }).abortSignal(signal);
  if (error) throw error;
  return data as StatementRow[];
}

export const topStatementsQueryOptions = () =>
  queryOptions({
    queryKey: monitoringKeys.statements(),
    queryFn: ({ signal }) => getTopStatements(signal),
    // Not loaded is a setting to change, not a hiccup to retry.
    retry: (count, error) => (error as { code?: string }).code !== 'statements_unavailable' && count < 2,
  });

export const useTopStatements = (range: DashboardRange) => useLiveQuery(topStatementsQueryOptions(), range);
