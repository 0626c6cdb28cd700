import { cn } from '@/lib/cn.ts';
import { formatCountdown, formatDateTime } from '@/lib/format.ts';

/** Time left until `expiresAt` as m:ss; amber in the last minute, "expired" after. */
export function CountdownPill({ expiresAt, now }: { expiresAt: string; now: number }) {
  const left = new Date(expiresAt).getTime() - now;
  const expired = left <= 0;
  return (
    <span
      title={`Held until ${formatDateTime(expiresAt)}`}
      className={cn(
        'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium tabular-nums ring-1 ring-inset',
        expired ? 'bg-slate-100 text-slate-700 ring-slate-500/20' : left < 60_000 ? 'bg-amber-50 text-amber-800 ring-amber-600/30' : 'bg-indigo-50 text-indigo-700 ring-indigo-600/20',
      )}
    >
      {expired ? 'expired' : formatCountdown(left)}
      {!expired && <span className="sr-only"> left</span>}
    </span>
  );
}
