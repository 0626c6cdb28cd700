import { cn } from '@/lib/cn.ts';
import type { Band } from '../utils/health.ts';

const looks: Record<Band | 'none', { label: string; className: string }> = {
  healthy: { label: 'Healthy', className: 'bg-emerald-50 text-emerald-800 ring-emerald-600/20' },
  degraded: { label: 'Degraded', className: 'bg-amber-50 text-amber-800 ring-amber-600/20' },
  failing: { label: 'Failing', className: 'bg-red-50 text-red-800 ring-red-600/20' },
  none: { label: 'No data', className: 'bg-slate-50 text-slate-700 ring-slate-500/20' },
};

/** A state, always with its name in words: healthy, degraded, failing, no data. */
export function BandBadge({ band, className, testId }: { band: Band | null; className?: string; testId?: string }) {
  const look = looks[band ?? 'none'];
  return (
    <span data-testid={testId} className={cn('inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset', look.className, className)}>
      {look.label}
    </span>
  );
}
