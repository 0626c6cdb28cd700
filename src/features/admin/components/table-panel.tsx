import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { EmptyState, ErrorState, Panel, Skeleton, StaleHint } from './panel.tsx';

export interface Column<T> {
  header: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  cell: (row: T) => ReactNode;
}

/** A table panel with the same states as the charts: skeleton, error with retry, empty with what to do. */
export function TablePanel<T>({
  id, title, subtitle, query, rows, columns, rowKey, empty, unavailable,
}: {
  id: string;
  title: string;
  subtitle?: ReactNode;
  query: UseQueryResult<unknown>;
  rows: T[] | undefined;
  columns: Column<T>[];
  rowKey: (row: T, index: number) => string;
  empty: ReactNode;
  /** A known error that is a state to explain, not a failure to retry. */
  unavailable?: (error: Error) => ReactNode | null;
}) {
  const explained = query.error && unavailable ? unavailable(query.error) : null;
  return (
    <Panel id={id} title={title} subtitle={subtitle}>
      {explained ? (
        <EmptyState height={120}>{explained}</EmptyState>
      ) : query.error && rows === undefined ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} height={120} />
      ) : rows === undefined ? (
        <Skeleton height={160} label={title} />
      ) : rows.length === 0 ? (
        <EmptyState height={120}>{empty}</EmptyState>
      ) : (
        // Focusable, so a keyboard can scroll it sideways on a phone.
        <div className="-mx-4 overflow-x-auto px-4 focus-visible:outline-2 focus-visible:outline-indigo-600" tabIndex={0} role="region" aria-label={`${title}: table`}>
          <table className="min-w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-xs text-slate-600">
                {columns.map((c) => (
                  <th key={c.header} scope="col" className={`py-2 pr-3 font-medium whitespace-nowrap last:pr-0 ${c.numeric ? 'text-right' : ''}`}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row, i) => (
                <tr key={rowKey(row, i)} className="h-9">
                  {columns.map((c) => (
                    <td key={c.header} className={`py-1.5 pr-3 last:pr-0 ${c.numeric ? 'text-right tabular-nums whitespace-nowrap' : ''}`}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!explained && <StaleHint error={query.isRefetchError ? query.error : null} />}
    </Panel>
  );
}
