// One place for how figures read: thousands separators, money, relative times, durations.

const integer = new Intl.NumberFormat('en-US');
// No currency in the model yet: prices are US dollars.
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
const absolute = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium' });

export const formatCount = (n: number) => integer.format(n);
export const formatMoney = (amount: number) => money.format(amount);
export const formatDateTime = (at: string | number | Date) => absolute.format(new Date(at));

/** "just now", "12 sec. ago", "3 min. ago", "2 hr. ago", "yesterday": with the absolute time in a tooltip beside it. */
export function formatRelative(at: string | number | Date, now = Date.now()): string {
  const seconds = Math.round((new Date(at).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 5) return 'just now';
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** A countdown as m:ss (or h:mm:ss), never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Milliseconds below a second, seconds above. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
