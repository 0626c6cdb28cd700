import { useEffect, useRef } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { subscribeLive } from '@/lib/live-channel.ts';
import { supabase } from '@/lib/supabase.ts';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { catalogKeys } from './keys.ts';
import { parseAvailabilityEvent, writeAvailability } from './merge-availability.ts';

export const availabilityTopic = (vendorId: string) => `vendor:${vendorId}:availability`;

function join(vendorId: string, queryClient: QueryClient): () => void {
  const channel = supabase.channel(availabilityTopic(vendorId)).on('broadcast', { event: 'availability' }, ({ payload }) => {
    const event = parseAvailabilityEvent(payload);
    if (!event) return;
    const outcome = writeAvailability(queryClient, event);
    if (outcome === 'applied') useLiveConnection.getState().synced();
    // A product the snapshot lacks (newly stocked or activated): fetch the catalog again, joining
    // a fetch already under way rather than restarting it on every such event.
    if (outcome === 'unknown') void queryClient.invalidateQueries({ queryKey: catalogKeys.products() }, { cancelRefetch: false });
  });
  return subscribeLive(channel, {
    id: `catalog:${vendorId}`,
    label: 'shop availability',
    // Changes committed before this (re)subscription were never sent to us: read a snapshot
    // taken after it, restarting a fetch that began earlier.
    onSubscribed: () => void queryClient.invalidateQueries({ queryKey: catalogKeys.products() }),
  });
}

/**
 * Keeps the cached catalog live: one public availability channel per vendor (not per product:
 * Supabase allows 100 channels per connection), each event written into the query cache.
 * Channels of vendors that stay listed are kept across renders; all are left on unmount.
 */
export function useCatalogRealtime(vendorIds: readonly string[]): void {
  const queryClient = useQueryClient();
  const channels = useRef(new Map<string, () => void>());
  const key = [...new Set(vendorIds)].sort().join(',');

  useEffect(() => {
    const wanted = new Set(key ? key.split(',') : []);
    const current = channels.current;
    for (const [vendorId, leave] of current) {
      if (wanted.has(vendorId)) continue;
      current.delete(vendorId);
      leave();
    }
    for (const vendorId of wanted) if (!current.has(vendorId)) current.set(vendorId, join(vendorId, queryClient));
  }, [key, queryClient]);

  useEffect(() => {
    const current = channels.current;
    return () => {
      for (const leave of current.values()) leave();
      current.clear();
    };
  }, []);
}
