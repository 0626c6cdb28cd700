import { useSyncExternalStore } from 'react';
import { cn } from '@/lib/cn.ts';
import { formatDateTime, formatRelative } from '@/lib/format.ts';
import { useNow } from '@/lib/use-now.ts';
import { summarize, useLiveConnection } from '@/stores/live-connection.ts';

function subscribeOnline(onChange: () => void) {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

const useOnline = () => useSyncExternalStore(subscribeOnline, () => navigator.onLine);

const looks = {
  connecting: { label: 'Connecting', dot: 'bg-slate-400' },
  live: { label: 'Live', dot: 'bg-emerald-500' },
  reconnecting: { label: 'Reconnecting', dot: 'bg-amber-500' },
  offline: { label: 'Offline', dot: 'bg-red-500' },
} as const;

/**
 * The shell's one connection badge: Live, Reconnecting (with what is affected) or Offline, and
 * when the screen last received fresh data. Hidden on screens without live data.
 */
export function LiveBadge() {
  const channels = useLiveConnection((s) => s.channels);
  const syncedAt = useLiveConnection((s) => s.syncedAt);
  const online = useOnline();
  const now = useNow(1000);
  const summary = summarize(channels);
  if (summary.status === 'idle') return null;

  const status = !online ? 'offline' : summary.status;
  const { label, dot } = looks[status];
  const detail =
    status === 'offline'
      ? 'You are offline; changes will appear when you are back'
      : status === 'reconnecting'
        ? `Live updates interrupted (${summary.status === 'reconnecting' ? summary.affected.join(', ') : ''}); reconnecting`
        : status === 'live'
          ? 'Figures update as they change'
          : 'Connecting to live updates';
  const synced = syncedAt === null ? null : formatRelative(syncedAt, now);

  return (
    <p
      role="status"
      title={syncedAt === null ? detail : `${detail}. Last synced ${formatDateTime(syncedAt)}.`}
      className="inline-flex shrink-0 items-center gap-2 rounded-full bg-white px-2.5 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-900/10 sm:text-sm"
    >
      <span className="relative flex size-2" aria-hidden="true">
        {status === 'live' && <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-60 motion-reduce:hidden" />}
        <span className={cn('relative inline-flex size-2 rounded-full', dot)} />
      </span>
      <span data-testid="live-status">{label}</span>
      {synced && (
        <span className="hidden text-slate-500 tabular-nums md:inline" aria-hidden="true">
          · synced {synced}
        </span>
      )}
      <span className="sr-only">: {detail}</span>
    </p>
  );
}
