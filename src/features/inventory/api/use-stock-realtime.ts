import { useEffect } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createChangeAnnouncer } from '@/lib/change-announcer.ts';
import { readAgain } from '@/lib/read-again.ts';
import { toast } from '@/lib/toast.ts';
import { subscribeLive } from '@/lib/live-channel.ts';
import { supabase } from '@/lib/supabase.ts';
import { useAnnouncer } from '@/stores/announcer.ts';
import { useLiveConnection } from '@/stores/live-connection.ts';
import { stockStateOf } from '../utils/stock-figures.ts';
import { applyReservationEvent, parseReservationEvent, type HeldReservation } from './get-product-reservations.ts';
import { inventoryKeys } from './keys.ts';
import { applyLevelEvents, applyProductEvent, parseLevelEvent, parseProductEvent, type LevelChange, type LevelEvent, type StockSnapshot, type StockProduct } from './stock-snapshot.ts';

export const stockTopic = (vendorId: string) => `vendor:${vendorId}:stock`;

/** Events held while the tab is hidden (no animation frames) beyond this are dropped for a fresh snapshot. */
const MAX_BUFFERED = 20_000;
/** At most this often (20 a second), so a burst costs a few renders, not one per frame. */
const FLUSH_EVERY_MS = 50;
const LEDGER_REFRESH_MS = 1_000;
const STOCK_LEVEL = { one: 'stock level', other: 'stock levels' };
const PRODUCT = { one: 'product', other: 'products' };

const totalAvailable = (product: StockProduct) => Object.values(product.levels).reduce((sum, l) => sum + l.available, 0);

/** Products that went from in stock to low or out with these changes, for the alert toast. */
export function crossings(before: StockSnapshot, changes: readonly LevelChange[]): Array<{ product: StockProduct; state: 'low' | 'out'; available: number }> {
  const found = new Map<string, { product: StockProduct; state: 'low' | 'out'; available: number }>();
  for (const { product } of changes) {
    const previous = before.products[product.id];
    if (!product.active || !previous) continue;
    const was = stockStateOf(totalAvailable(previous), previous.low_stock_threshold);
    const available = totalAvailable(product);
    const now = stockStateOf(available, product.low_stock_threshold);
    if (now !== 'ok' && now !== was && !(was === 'out' && now === 'low')) found.set(product.id, { product, state: now, available });
    else found.delete(product.id);
  }
  return [...found.values()];
}

/** The event handlers of one vendor's feed; exported for tests, which drive it without a socket. */
export function createFeed(vendorId: string, queryClient: QueryClient) {
  const stockKey = inventoryKeys.stock(vendorId);
  let buffered: LevelEvent[] = [];
  let frame: number | undefined;
  let wait: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = 0;
  const announcer = createChangeAnnouncer({ say: (message) => useAnnouncer.getState().announce(message) });
  const ledgerRefreshedAt = new Map<string, number>();

  const refetchSnapshot = () => void readAgain(queryClient, stockKey);

  // Bursts are written into the cache in one go, on an animation frame, at most every
  // FLUSH_EVERY_MS: one render however many events arrived.
  const flush = () => {
    frame = undefined;
    lastFlush = performance.now();
    const events = buffered;
    buffered = [];
    const before = queryClient.getQueryData<StockSnapshot>(stockKey);
    // Without a snapshot yet, the one being read (after the subscription) already includes these.
    if (!before) return;
    const { snapshot, changes, unknown } = applyLevelEvents(before, events);
    if (unknown > 0) refetchSnapshot();
    if (changes.length === 0) return;
    queryClient.setQueryData(stockKey, snapshot);
    useLiveConnection.getState().synced();
    announcer.changed(STOCK_LEVEL, changes.length);
    for (const { product, state, available } of crossings(before, changes)) {
      if (state === 'out') toast.error(`${product.name} is out of stock`, { description: `${product.sku}: nothing left to sell at any location.` });
      else toast.warning(`${product.name} is low on stock`, { description: `${product.sku}: ${available} available, threshold ${product.low_stock_threshold}.` });
    }
    const now = Date.now();
    for (const productId of new Set(changes.map((c) => c.product.id))) {
      if (now - (ledgerRefreshedAt.get(productId) ?? 0) < LEDGER_REFRESH_MS) continue;
      ledgerRefreshedAt.set(productId, now);
      void queryClient.invalidateQueries({ queryKey: inventoryKeys.ledger(vendorId, productId), refetchType: 'active' });
    }
  };

  const onLevel = (payload: unknown) => {
    const event = parseLevelEvent(payload);
    if (!event) return;
    if (buffered.length >= MAX_BUFFERED) {
      buffered = [];
      refetchSnapshot();
      return;
    }
    buffered.push(event);
    schedule();
  };

  const schedule = () => {
    if (frame !== undefined || wait !== undefined) return;
    const early = lastFlush + FLUSH_EVERY_MS - performance.now();
    if (early <= 0) frame = requestAnimationFrame(flush);
    else
      wait = setTimeout(() => {
        wait = undefined;
        frame = requestAnimationFrame(flush);
      }, early);
  };

  const onReservation = (payload: unknown) => {
    const event = parseReservationEvent(payload);
    if (!event) return;
    queryClient.setQueryData<HeldReservation[]>(inventoryKeys.reservations(vendorId, event.product_id), (rows) => rows && applyReservationEvent(rows, event));
  };

  // A teammate's edit of a product: applied in place. A new product or location: read a snapshot.
  const onProduct = (payload: unknown) => {
    const fields = parseProductEvent(payload);
    if (!fields) return;
    const snapshot = queryClient.getQueryData<StockSnapshot>(stockKey);
    if (!snapshot) return;
    const next = applyProductEvent(snapshot, fields);
    announcer.changed(PRODUCT);
    if (next) queryClient.setQueryData(stockKey, next);
    else refetchSnapshot();
  };


  return {
    onLevel,
    onReservation,
    onProduct,
    onLocation: refetchSnapshot,
    refetchSnapshot,
    stop() {
      announcer.stop();
      if (frame !== undefined) cancelAnimationFrame(frame);
      clearTimeout(wait);
    },
  };
}

/**
 * Keeps the vendor's stock live: the private `vendor:<id>:stock` topic (members only, by RLS on
 * realtime.messages) feeds the query cache. Events older than what the cache holds are dropped;
 * a snapshot is read on every (re)subscribe and when the tab becomes visible again.
 */
export function useStockRealtime(vendorId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const feed = createFeed(vendorId, queryClient);
    let leave: (() => void) | undefined;
    let cancelled = false;
    // The join must carry the user's token (a private topic); set it before subscribing.
    void supabase.realtime.setAuth().finally(() => {
      if (cancelled) return;
      const channel = supabase
        .channel(stockTopic(vendorId), { config: { private: true } })
        .on('broadcast', { event: 'stock_level' }, ({ payload }) => feed.onLevel(payload))
        .on('broadcast', { event: 'reservation' }, ({ payload }) => feed.onReservation(payload))
        .on('broadcast', { event: 'product' }, ({ payload }) => feed.onProduct(payload))
        .on('broadcast', { event: 'location' }, () => feed.onLocation());
      leave = subscribeLive(channel, {
        id: `stock:${vendorId}`,
        label: 'stock levels',
        onSubscribed: () => {
          feed.refetchSnapshot();
          void queryClient.invalidateQueries({ queryKey: inventoryKeys.vendor(vendorId), predicate: (q) => q.queryKey[2] === 'product' });
        },
      });
    });
    const onVisible = () => {
      if (document.visibilityState === 'visible') feed.refetchSnapshot();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      cancelled = true;
      document.removeEventListener('visibilitychange', onVisible);
      feed.stop();
      leave?.();
    };
  }, [vendorId, queryClient]);
}
