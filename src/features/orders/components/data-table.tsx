import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

export interface Column {
  label: string;
  align?: 'right';
  /** Left out on phones. */
  wide?: boolean;
}

export const cellClass = ({ align, wide }: Omit<Column, 'label'> = {}) => cn('px-3 py-2.5 text-sm', align === 'right' && 'text-right', wide && 'hidden sm:table-cell');

/** A dense table in a card: the caption for screen readers, headers from `columns`, rows as children. */
export function DataTable({ caption, columns, children, footer }: { caption: string; columns: Column[]; children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-900/5">
      <table className="w-full text-left">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs font-semibold text-slate-600 uppercase">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={cellClass(column)}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
        {footer && <tfoot className="border-t border-slate-200">{footer}</tfoot>}
      </table>
    </div>
  );
}
