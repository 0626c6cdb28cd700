import { useEffect, useRef, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase.ts';
import { catalogKeys } from './keys.ts';
import { parseAvailabilityEvent, writeAvailability } from './merge-availability.ts';

/** `live` once every vendor channel is subscribed; `offline` while any is down (realtime-js rejoins it). */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'offline';

type ChannelStatus = 'connecting' | 'live' | 'offline';

export const availabilityTopic = (vendorId: string) => `vendor:${vendorId}:availability`;

export function liveStatusOf(statuses: ChannelStatus[]): LiveStatus {
  if (statuses.length === 0) return 'idle';
  if (statuses.includes('offline')) return 'offline';
  return statuses.every((s) => s === 'live') ? 'live' : 'connecting';
}

function listen(channel: RealtimeChannel, queryClient: QueryClient, onStatus: (status: ChannelStatus) => void): void {
  channel
    .on('broadcast', { event: 'availability' }, ({ payload }) => {
      const event = parseAvailabilityEvent(payload);
      if (!event) return;
      // A product the snapshot lacks (newly stocked or activated): fetch the catalog again, joining
      // a fetch already under way rather than restarting it on every such event.
      if (writeAvailability(queryClient, event) === 'unknown') {
        void queryClient.invalidateQueries({ queryKey: catalogKeys.products() }, { cancelRefetch: false });
      }
    })
    .subscribe((status) => {
      if (status === 'SUBSCRIBED') {
        onStatus('live');
        // Changes committed before this (re)subscription were never sent to us: read a snapshot
        // taken after it, restarting a fetch that began earlier.
        void queryClient.invalidateQueries({ queryKey: catalogKeys.products() });
      } else {
        onStatus('offline');
      }
    });
}

/**
 * Keeps the cached catalog live: one public availability channel per vendor (not per product:
 * Supabase allows 100 channels per connection), each event written into the query cache.
 * Channels of vendors that stay listed are kept across renders; all are left on unmount.
 */
export function useCatalogRealtime(vendorIds: readonly string[]): LiveStatus {
  const queryClient = useQueryClient();
  const channels = useRef(new Map<string, RealtimeChannel>());
  const [statuses, setStatuses] = useState<Record<string, ChannelStatus>>({});
  const key = [...new Set(vendorIds)].sort().join(',');

  useEffect(() => {
    const wanted = new Set(key ? key.split(',') : []);
    const current = channels.current;
    for (const [vendorId, channel] of current) {
      if (wanted.has(vendorId)) continue;
      current.delete(vendorId);
      void supabase.removeChannel(channel);
    }
    const created = new Set<string>();
    for (const vendorId of wanted) {
      if (current.has(vendorId)) continue;
      const channel = supabase.channel(availabilityTopic(vendorId));
      current.set(vendorId, channel);
      created.add(vendorId);
      listen(channel, queryClient, (status) => {
        // A channel left since (vendor gone, unmount) still reports CLOSED: not ours any more.
        if (current.get(vendorId) === channel) setStatuses((s) => (s[vendorId] === status ? s : { ...s, [vendorId]: status }));
      });
    }
    setStatuses((s) => Object.fromEntries([...wanted].map((id) => [id, created.has(id) ? 'connecting' : (s[id] ?? 'connecting')])));
  }, [key, queryClient]);

  useEffect(() => {
    const current = channels.current;
    return () => {
      for (const channel of current.values()) void supabase.removeChannel(channel);
      current.clear();
    };
  }, []);

  return liveStatusOf(Object.values(statuses));
}
