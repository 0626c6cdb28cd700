import type { ReactNode } from 'react';
import { cn } from '@/lib/cn.ts';

const tones = {
  error: 'bg-red-50 text-red-800 ring-red-600/20',
  success: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20',
} as const;

/** A message announced to screen readers as soon as it appears. */
export function Alert({ tone, title, children }: { tone: keyof typeof tones; title?: string; children: ReactNode }) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cn('rounded-lg px-4 py-3 text-sm ring-1 ring-inset', tones[tone])}>
      {title && <p className="font-semibold">{title}</p>}
      <div>{children}</div>
    </div>
  );
}
