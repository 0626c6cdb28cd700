import { Check } from 'lucide-react';
import { cn } from '@/lib/cn.ts';

/** A toggle button that reads as a filter: pressed or not, with a check when on. */
export function FilterChip({ label, pressed, onToggle, count }: { label: string; pressed: boolean; onToggle: () => void; count?: number }) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onToggle}
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full px-3 py-1.5 text-sm font-medium ring-1 ring-inset focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600',
        pressed ? 'bg-indigo-600 text-white ring-indigo-600 hover:bg-indigo-500' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50',
      )}
    >
      {pressed && <Check className="size-3.5" aria-hidden="true" />}
      {label}
      {count !== undefined && <span className={cn('tabular-nums', pressed ? 'text-indigo-100' : 'text-slate-500')}>{count}</span>}
    </button>
  );
}
