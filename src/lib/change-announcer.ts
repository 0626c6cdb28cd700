// Live changes told to a screen reader without flooding it: changes are counted, and at most one
// polite announcement per interval summarises them ("3 stock levels and 1 product changed").
// Pure (timers are passed in), so the throttle is unit-tested with fake timers.

export interface Noun {
  one: string;
  other: string;
}

export interface ChangeAnnouncerOptions {
  /** Says the sentence (the shell's polite live region). */
  say: (message: string) => void;
  /** At most one announcement per this many ms (default 5 s). */
  intervalMs?: number;
  /** A quiet page's first change waits this long for the rest of its burst (default 1 s). */
  gatherMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface ChangeAnnouncer {
  /** `count` more changes of `noun` since the last announcement. */
  changed: (noun: Noun, count?: number) => void;
  /** Drops what is pending and stops the timer. */
  stop: () => void;
}

/** "3 stock levels", "1 product", joined: "3 stock levels and 1 product changed". */
export function summarizeChanges(counts: ReadonlyMap<Noun, number>): string | null {
  const parts = [...counts].filter(([, n]) => n > 0).map(([noun, n]) => `${n} ${n === 1 ? noun.one : noun.other}`);
  if (parts.length === 0) return null;
  const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `${list} changed`;
}

export function createChangeAnnouncer({
  say,
  intervalMs = 5_000,
  gatherMs = 1_000,
  now = () => Date.now(),
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
}: ChangeAnnouncerOptions): ChangeAnnouncer {
  const counts = new Map<Noun, number>();
  let lastSaid = -Infinity;
  let timer: unknown;

  const flush = () => {
    timer = undefined;
    const message = summarizeChanges(counts);
    counts.clear();
    if (!message) return;
    lastSaid = now();
    say(message);
  };

  return {
    changed(noun, count = 1) {
      if (count <= 0) return;
      counts.set(noun, (counts.get(noun) ?? 0) + count);
      if (timer !== undefined) return;
      timer = setTimer(flush, Math.max(gatherMs, lastSaid + intervalMs - now()));
    },
    stop() {
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      counts.clear();
    },
  };
}
