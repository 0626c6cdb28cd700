import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { parseAvailabilityEvent, vendorAvailabilityTopic } from '@/lib/availability-event.ts';
import { useLiveChannels, type LiveChannelSpec } from '@/lib/use-live-channels.ts';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { alreadyRead, applyAvailability, parseReservationEvent, type CartLine } from '../utils/cart-lines.ts';
import { cartKeys } from './keys.ts';

export const cartTopic = (userId: string) => `customer:${userId}:cart`;

/**
 * Keeps the open cart live. The shopper's private topic reports every change of their holds
 * (another tab or device, the sweeper expiring one, a checkout): the cart is read again unless
 * it already shows that change. The public availability topics of the cart's vendors keep each
 * line's "more available" figure current without reading the cart again. After a (re)join,
 * the cart is read once every channel is live.
 */
export function useCartRealtime(userId: string, vendorIds: readonly string[]): void {
  const queryClient = useQueryClient();
  const specs = useMemo((): LiveChannelSpec[] => {
    const { synced } = useLiveConnection.getState();
    return [
      {
        id: `cart:${userId}`,
        topic: cartTopic(userId),
        private: true,
        label: 'your cart',
        event: 'reservation',
        onEvent: (payload) => {
          const event = parseReservationEvent(payload);
          if (!event || alreadyRead(queryClient.getQueryData<CartLine[]>(cartKeys.lines()), event)) return;
          void queryClient.invalidateQueries({ queryKey: cartKeys.lines() });
        },
      },
      ...[...new Set(vendorIds)].map(
        (vendorId): LiveChannelSpec => ({
          id: `cart:vendor:${vendorId}`,
          topic: vendorAvailabilityTopic(vendorId),
          label: 'availability',
          event: 'availability',
          onEvent: (payload) => {
            const event = parseAvailabilityEvent(payload);
            if (!event) return;
            queryClient.setQueryData<CartLine[]>(cartKeys.lines(), (lines) => lines && applyAvailability(lines, event));
            synced();
          },
        }),
      ),
    ];
  }, [userId, vendorIds, queryClient]);
  useLiveChannels(specs, () => void queryClient.invalidateQueries({ queryKey: cartKeys.lines() }));
}
