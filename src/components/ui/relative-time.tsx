import { formatDateTime, formatRelative } from '@/lib/format.ts';

/** "3 min. ago", with the absolute time in the tooltip and for machines. */
export function RelativeTime({ at, now }: { at: string; now: number }) {
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {formatRelative(at, now)}
    </time>
  );
}
