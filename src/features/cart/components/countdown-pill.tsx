import { Timer } from 'lucide-react';
import { cn } from '@/lib/cn.ts';
import { formatCountdown, formatDateTime } from '@/lib/format.ts';
import { holdState, type CartLine } from '../utils/cart-lines.ts';

const looks = {
  held: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  ending: 'bg-amber-50 text-amber-800 ring-amber-600/30',
  expired: 'bg-slate-100 text-slate-500 ring-slate-400/20',
} as const;

function spoken(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes > 0 ? `${minutes} min ${seconds} s` : `${seconds} s`;
}

/** How long the hold has left (m:ss), amber under a minute; the absolute time in the tooltip. */
export function CountdownPill({ line, now }: { line: CartLine; now: number }) {
  const state = holdState(line, now);
  const left = line.deadline - now;
  return (
    <span
      role="timer"
      data-testid="countdown"
      data-state={state}
      title={`Held until ${formatDateTime(line.deadline)}`}
      aria-label={state === 'expired' ? 'Hold expired' : `Held for ${spoken(left)} more`}
      className={cn('inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold tabular-nums ring-1 ring-inset', looks[state])}
    >
      <Timer className="size-3.5" aria-hidden="true" />
      {state === 'expired' ? '0:00' : formatCountdown(left)}
    </span>
  );
}
