import { cn } from '@/lib/cn.ts';

export function Spinner({ className }: { className?: string }) {
  return (
    <svg className={cn('size-4 animate-spin', className)} viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeWidth="3" className="opacity-25" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

/** A centred spinner for a whole page, or (inline) for the content area inside the shell. */
export function PageSpinner({ label = 'Loading', inline = false }: { label?: string; inline?: boolean }) {
  return (
    <div className={cn('flex items-center justify-center text-indigo-600', inline ? 'py-24' : 'min-h-dvh')} role="status">
      <Spinner className="size-8" />
      <span className="sr-only">{label}</span>
    </div>
  );
}
