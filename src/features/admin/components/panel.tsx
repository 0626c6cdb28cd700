import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { cn } from '@/lib/cn.ts';

/** A titled dashboard section: a chart or a table, its actions, its states. */
export function Panel({ id, title, subtitle, actions, children, className }: { id: string; title: string; subtitle?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section aria-labelledby={`${id}-title`} className={cn('flex min-w-0 flex-col rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-900/5', className)} data-testid={`panel-${id}`}>
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
            {title}
          </h2>
          {subtitle && <div className="mt-0.5 text-xs text-slate-600">{subtitle}</div>}
        </div>
        {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

/** Where data will be: the same footprint, pulsing. */
export function Skeleton({ height = 220, label }: { height?: number; label: string }) {
  return (
    <div role="status" className="animate-pulse rounded-lg bg-slate-100 motion-reduce:animate-none" style={{ height }}>
      <span className="sr-only">Loading {label}</span>
    </div>
  );
}

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ height = 220, children }: { height?: number; children: ReactNode }) {
  return (
    <div className="flex items-center justify-center rounded-lg border border-dashed border-slate-300 px-6 text-center text-sm text-slate-600" style={{ minHeight: height }}>
      <div>{children}</div>
    </div>
  );
}

/** A read that failed: its message and a retry. */
export function ErrorState({ error, onRetry, retrying, height = 220 }: { error: Error; onRetry: () => void; retrying: boolean; height?: number }) {
  return (
    <div role="alert" className="flex flex-col items-center justify-center gap-3 rounded-lg bg-red-50 px-6 text-center text-sm text-red-800" style={{ minHeight: height }}>
      <p>
        <span className="font-semibold">Could not load this: </span>
        {error.message}
      </p>
      <Button variant="secondary" loading={retrying} onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}

/** A refresh failed but the figures shown are still the last good ones. */
export function StaleHint({ error }: { error: Error | null }) {
  if (!error) return null;
  return (
    <p role="status" className="mt-2 text-xs text-amber-800">
      Refresh failed ({error.message}); showing the last figures.
    </p>
  );
}
