import type { ComponentProps } from 'react';
import { cn } from '@/lib/cn.ts';

/** A native select styled like Input, with its own chevron. */
export function Select({ className, ...props }: ComponentProps<'select'>) {
  return (
    <div className="relative">
      <select
        className={cn(
          'block w-full appearance-none rounded-lg border-0 bg-white py-2.5 pr-9 pl-3 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300',
          'focus:ring-2 focus:ring-inset focus:ring-indigo-600 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500',
          className,
        )}
        {...props}
      />
      <svg className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-slate-400" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
        <path fillRule="evenodd" d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z" clipRule="evenodd" />
      </svg>
    </div>
  );
}
