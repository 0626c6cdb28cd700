import type { ReactNode } from 'react';

/** What a list shows when it has nothing: what happened and what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center">
      <p className="text-sm font-semibold text-slate-900">{title}</p>
      {children}
    </div>
  );
}
