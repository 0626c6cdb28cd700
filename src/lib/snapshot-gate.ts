import { useLiveConnection } from '@/stores/live-connection.ts';

export interface SnapshotGate {
  /** A channel of the group, before it is subscribed (its id as given to `subscribeLive`). */
  track: (channelId: string) => void;
  untrack: (channelId: string) => void;
  /** From each channel's `onSubscribed`: its first join and every rejoin. */
  subscribed: () => void;
  dispose: () => void;
}

/**
 * One snapshot read for a group of channels that feed the same cached data: a (re)join owes a
 * read, paid once every channel of the group is live again, instead of one read per channel
 * (which aborts and repeats the previous one). A channel that stays down does not hold the
 * others' read back for more than `fallbackMs`.
 */
export function createSnapshotGate(read: () => void, fallbackMs = 5000): SnapshotGate {
  const ids = new Set<string>();
  let owed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const isLive = (id: string) => useLiveConnection.getState().channels[id]?.state === 'live';
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    owed = false;
    read();
  };
  const settle = () => {
    if (!owed) return;
    if ([...ids].every(isLive)) flush();
    else timer ??= setTimeout(flush, fallbackMs);
  };

  return {
    track: (id) => void ids.add(id),
    untrack: (id) => {
      ids.delete(id);
      settle();
    },
    subscribed: () => {
      owed = true;
      settle();
    },
    dispose: () => {
      clearTimeout(timer);
      timer = undefined;
      owed = false;
    },
  };
}
