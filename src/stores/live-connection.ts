import { create } from 'zustand';

export type ChannelState = 'connecting' | 'live' | 'offline';

export interface LiveChannel {
  state: ChannelState;
  /** What the channel feeds, for the badge's explanation ("stock levels", "shop availability"). */
  label: string;
}

interface LiveConnectionState {
  channels: Record<string, LiveChannel>;
  /** When the screen last received fresh data (a snapshot or an event), in ms since the epoch. */
  syncedAt: number | null;
  channelChanged: (id: string, channel: LiveChannel) => void;
  channelRemoved: (id: string) => void;
  synced: (at?: number) => void;
}

/** The state of the realtime channels on screen, for the shell's one live badge. UI state: no rows here. */
export const useLiveConnection = create<LiveConnectionState>()((set, get) => ({
  channels: {},
  syncedAt: null,
  channelChanged: (id, channel) =>
    set((s) => {
      const current = s.channels[id];
      return current?.state === channel.state && current.label === channel.label ? s : { channels: { ...s.channels, [id]: channel } };
    }),
  channelRemoved: (id) =>
    set((s) => {
      if (!(id in s.channels)) return s;
      const { [id]: _removed, ...channels } = s.channels;
      return { channels };
    }),
  // At most one store update a second: bursts of events must not re-render the shell each time.
  synced: (at = Date.now()) => {
    const last = get().syncedAt;
    if (last === null || at - last >= 1000) set({ syncedAt: at });
  },
}));

export type LiveSummary =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting'; affected: string[] };

export function summarize(channels: Record<string, LiveChannel>): LiveSummary {
  const all = Object.values(channels);
  if (all.length === 0) return { status: 'idle' };
  const down = all.filter((c) => c.state === 'offline');
  if (down.length > 0) return { status: 'reconnecting', affected: [...new Set(down.map((c) => c.label))] };
  return all.every((c) => c.state === 'live') ? { status: 'live' } : { status: 'connecting' };
}
