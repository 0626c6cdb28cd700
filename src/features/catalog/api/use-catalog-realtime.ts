import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { readAgain } from '@/lib/read-again.ts';
import { parseAvailabilityEvent, vendorAvailabilityTopic } from '@/lib/availability-event.ts';
import { useLiveChannels, type LiveChannelSpec } from '@/lib/use-live-channels.ts';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { catalogKeys } from './keys.ts';
import { writeAvailability } from './merge-availability.ts';

/**
 * Keeps the cached catalog live: one public availability channel per vendor (not per product:
 * Supabase allows 100 channels per connection), each event written into the query cache.
 * Changes committed before a channel (re)joined were never sent to it, so the catalog is read
 * again once every channel is live after a join: once for the first joins together (the read
 * that found the vendors came before them), and once per rejoin.
 */
export function useCatalogRealtime(vendorIds: readonly string[]): void {
  const queryClient = useQueryClient();
  const specs = useMemo(
    () =>
      [...new Set(vendorIds)].map(
        (vendorId): LiveChannelSpec => ({
          id: `catalog:${vendorId}`,
          topic: vendorAvailabilityTopic(vendorId),
          label: 'shop availability',
          event: 'availability',
          onEvent: (payload) => {
            const event = parseAvailabilityEvent(payload);
            if (!event) return;
            const outcome = writeAvailability(queryClient, event);
            if (outcome === 'applied') useLiveConnection.getState().synced();
            // A product the snapshot lacks (newly stocked or activated): read the catalog again.
            if (outcome === 'unknown') void readAgain(queryClient, catalogKeys.products());
          },
        }),
      ),
    [vendorIds, queryClient],
  );
  useLiveChannels(specs, () => void queryClient.invalidateQueries({ queryKey: catalogKeys.products() }));
}
