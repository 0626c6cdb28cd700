import type { RealtimeChannel } from '@supabase/supabase-js';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { supabase } from './supabase.ts';

export interface LiveChannelOptions {
  /** Unique among the channels on screen; the badge counts each once. */
  id: string;
  /** What the channel feeds, shown when it is down ("stock levels"). */
  label: string;
  /**
   * Runs on every SUBSCRIBED, the first join and each rejoin: Realtime does not replay what was
   * sent while the channel was down, so this is where the caller reads a fresh snapshot.
   */
  onSubscribed: () => void;
}

/**
 * Subscribes a channel whose listeners are already attached, reporting its state to the shell's
 * live badge. Returns the way to leave it; realtime-js rejoins by itself until then.
 */
export function subscribeLive(channel: RealtimeChannel, { id, label, onSubscribed }: LiveChannelOptions): () => void {
  const { channelChanged, channelRemoved, synced } = useLiveConnection.getState();
  let left = false;
  channelChanged(id, { state: 'connecting', label });
  channel.subscribe((status) => {
    // A channel being left still reports CLOSED: not on screen any more.
    if (left) return;
    if (status === 'SUBSCRIBED') {
      channelChanged(id, { state: 'live', label });
      synced();
      onSubscribed();
    } else {
      channelChanged(id, { state: 'offline', label });
    }
  });
  return () => {
    left = true;
    channelRemoved(id);
    void supabase.removeChannel(channel);
  };
}
