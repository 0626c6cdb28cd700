import type { ReactNode } from 'react';
import { Alert } from './alert.tsx';
import { Button } from './button.tsx';

/** A read that failed with nothing to show: the message and a retry. */
export function LoadError({ title, error, retrying, onRetry }: { title: string; error: Error | null; retrying: boolean; onRetry: () => void }) {
  return (
    <Alert tone="error" title={title}>
      <p>{error?.message}</p>
      <Button variant="secondary" className="mt-3" loading={retrying} onClick={onRetry}>
        Try again
      </Button>
    </Alert>
  );
}

/** A refresh that failed while older data stays on screen. */
export function StaleHint({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="text-sm text-amber-700">
      {children}
    </p>
  );
}

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 px-6 py-14 text-center">
      {icon}
      <p className={icon ? 'mt-3 text-sm font-semibold text-slate-900' : 'text-sm font-semibold text-slate-900'}>{title}</p>
      {children}
    </div>
  );
}
