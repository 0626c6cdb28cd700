import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { parseAvailabilityEvent } from '@/lib/availability-event.ts';
import { useLiveChannels } from '@/lib/use-live-channels.ts';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { catalogKeys } from './keys.ts';
import { writeProductAvailability } from './merge-availability.ts';

export const productAvailabilityTopic = (productId: string) => `product:${productId}:availability`;

/** Keeps a product page's availability live from the product's public topic; reads the product again on every (re)join. */
export function useProductRealtime(productId: string): void {
  const queryClient = useQueryClient();
  const specs = useMemo(
    () => [
      {
        id: `product:${productId}`,
        topic: productAvailabilityTopic(productId),
        label: 'availability',
        event: 'availability',
        onEvent: (payload: unknown) => {
          const event = parseAvailabilityEvent(payload);
          if (event?.product_id !== productId) return;
          if (writeProductAvailability(queryClient, event) === 'applied') useLiveConnection.getState().synced();
        },
      },
    ],
    [productId, queryClient],
  );
  useLiveChannels(specs, () => void queryClient.invalidateQueries({ queryKey: catalogKeys.product(productId) }));
}
