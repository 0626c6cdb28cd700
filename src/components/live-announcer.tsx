import { useAnnouncer } from '@/stores/announcer.ts';

/** One polite live region for summaries of remote changes ("3 stock levels changed"). */
export function LiveAnnouncer() {
  const message = useAnnouncer((s) => s.message);
  return (
    <div className="sr-only" aria-live="polite" aria-atomic="true" data-testid="live-announcer">
      {message}
    </div>
  );
}
