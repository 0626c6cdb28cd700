import { cn } from '@/lib/cn.ts';
import type { LiveStatus } from '../api/use-catalog-realtime.ts';

const copy: Record<Exclude<LiveStatus, 'idle'>, { label: string; detail: string; dot: string }> = {
  connecting: { label: 'Connecting', detail: 'Connecting to live updates', dot: 'bg-slate-400' },
  live: { label: 'Live', detail: 'Availability updates as stock changes', dot: 'bg-emerald-500' },
  offline: { label: 'Reconnecting', detail: 'Live updates interrupted; reconnecting', dot: 'bg-amber-500' },
};

export function LiveStatusBadge({ status }: { status: LiveStatus }) {
  if (status === 'idle') return null;
  const { label, detail, dot } = copy[status];
  return (
    <p role="status" title={detail} className="inline-flex items-center self-start sm:self-auto gap-2 rounded-full bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm ring-1 ring-slate-900/5">
      <span className="relative flex size-2" aria-hidden="true">
        {status === 'live' && <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60 motion-reduce:hidden" />}
        <span className={cn('relative inline-flex size-2 rounded-full', dot)} />
      </span>
      <span data-testid="live-status">{label}</span>
      <span className="sr-only">: {detail}</span>
    </p>
  );
}
