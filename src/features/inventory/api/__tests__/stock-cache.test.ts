// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient } from '@/lib/query-client.ts';
import { applyReservationEvent, type HeldReservation } from '../get-product-reservations.ts';
import { inventoryKeys } from '../keys.ts';
import { applyLevelEvents, applyProductEvent, mergeSnapshot, parseLevelEvent, parseProductEvent, type LevelEvent, type StockSnapshot } from '../stock-snapshot.ts';
import { createFeed, crossings } from '../use-stock-realtime.ts';

const at = '2026-12-01T10:00:00.000Z';
const level = (location_id: string, on_hand: number, reserved: number, version: number) => ({ location_id, on_hand, reserved, available: on_hand - reserved, version, updated_at: at });
const event = (product_id: string, location_id: string, on_hand: number, reserved: number, version: number): LevelEvent => ({ product_id, ...level(location_id, on_hand, reserved, version) });

function snapshot(): StockSnapshot {
  const base = { description: '', price: 10, low_stock_threshold: 5, active: true, updated_at: at };
  return {
    locations: [{ id: 'l1', name: 'Main' }],
    ids: ['a', 'b'],
    products: {
      a: { ...base, id: 'a', sku: 'A', name: 'Alpha', levels: { l1: level('l1', 10, 0, 3) } },
      b: { ...base, id: 'b', sku: 'B', name: 'Beta', levels: { l1: level('l1', 2, 0, 1) } },
    },
  };
}

afterEach(() => vi.useRealTimers());

describe('applying stock events', () => {
  it('keeps the newest version whatever order events arrive in, and drops duplicates', () => {
    const s = snapshot();
    const { snapshot: next, changes } = applyLevelEvents(s, [event('a', 'l1', 12, 0, 5), event('a', 'l1', 11, 0, 4), event('a', 'l1', 12, 0, 5)]);
    expect(next.products.a!.levels.l1).toMatchObject({ on_hand: 12, version: 5 });
    expect(changes).toHaveLength(1);
    // An untouched product keeps its object, so its row does not re-render.
    expect(next.products.b).toBe(s.products.b);
    expect(applyLevelEvents(next, [event('a', 'l1', 1, 0, 5)]).snapshot).toBe(next);
  });

  it('adds a first level at a new location, and counts events about unknown products for a refetch', () => {
    const { snapshot: next, unknown } = applyLevelEvents(snapshot(), [event('b', 'l2', 4, 0, 1), event('zzz', 'l1', 1, 0, 1)]);
    expect(next.products.b!.levels.l2).toMatchObject({ on_hand: 4 });
    expect(unknown).toBe(1);
  });

  it('merges a fresh snapshot without undoing an event that arrived while it was read', () => {
    const cached = applyLevelEvents(snapshot(), [event('a', 'l1', 20, 1, 7)]).snapshot;
    const fresh = snapshot();
    fresh.products.b = { ...fresh.products.b!, levels: { l1: level('l1', 9, 0, 2) } };
    const merged = mergeSnapshot(cached, fresh);
    expect(merged.products.a!.levels.l1).toMatchObject({ on_hand: 20, version: 7 });
    expect(merged.products.b!.levels.l1).toMatchObject({ on_hand: 9, version: 2 });
    // Nothing changed: the same objects come back.
    const again = mergeSnapshot(merged, snapshot());
    expect(again.products.a).toBe(merged.products.a);
    expect(again.locations).toBe(merged.locations);
  });

  it('rejects payloads that are not level events', () => {
    expect(parseLevelEvent({ product_id: 'a', location_id: 'l1', on_hand: '3', reserved: 0, available: 3, version: 1, updated_at: at })).toBeUndefined();
    expect(parseLevelEvent(null)).toBeUndefined();
    expect(parseLevelEvent(event('a', 'l1', 3, 1, 2))).toEqual(event('a', 'l1', 3, 1, 2));
  });

  it('finds the products that just went low or out of stock', () => {
    const s = snapshot();
    const { changes } = applyLevelEvents(s, [event('a', 'l1', 10, 6, 4), event('b', 'l1', 0, 0, 2)]);
    expect(crossings(s, changes).map((c) => [c.product.id, c.state, c.available])).toEqual([
      ['a', 'low', 4],
      ['b', 'out', 0],
    ]);
  });
});

describe("a teammate's product edit", () => {
  it('replaces the fields and keeps the levels; an older edit or an unknown product does not apply', () => {
    const s = snapshot();
    const edit = parseProductEvent({ id: 'a', sku: 'A', name: 'Alpha 2', description: 'New', price: 12.5, low_stock_threshold: 2, active: false, updated_at: '2026-12-01T10:05:00.000Z' })!;
    const next = applyProductEvent(s, edit)!;
    expect(next.products.a).toMatchObject({ name: 'Alpha 2', price: 12.5, active: false, levels: s.products.a!.levels });
    expect(applyProductEvent(next, { ...edit, name: 'Stale', updated_at: '2026-12-01T09:00:00.000Z' })).toBe(next);
    expect(applyProductEvent(s, { ...edit, id: 'new' })).toBeUndefined();
    expect(parseProductEvent({ ...edit, price: '12.50' })).toBeUndefined();
  });

  it('survives a snapshot that was read before it', () => {
    const edit = parseProductEvent({ id: 'a', sku: 'A', name: 'Alpha 2', description: '', price: 10, low_stock_threshold: 5, active: true, updated_at: '2026-12-01T10:05:00.000Z' })!;
    const cached = applyProductEvent(snapshot(), edit)!;
    const merged = mergeSnapshot(cached, snapshot());
    expect(merged.products.a!.name).toBe('Alpha 2');
    // A later snapshot with a later edit wins.
    const later = snapshot();
    later.products.a = { ...later.products.a!, name: 'Alpha 3', updated_at: '2026-12-01T10:06:00.000Z' };
    expect(mergeSnapshot(merged, later).products.a!.name).toBe('Alpha 3');
  });
});

describe('the reservations a drawer shows', () => {
  const held = (id: string, version: number, expires = at): HeldReservation => ({ id, location_id: 'l1', customer_id: 'c', quantity: 1, expires_at: expires, version });
  it('adds and updates active ones by version, and removes the others', () => {
    let rows: HeldReservation[] = [held('r1', 1, '2026-12-01T10:05:00Z')];
    rows = applyReservationEvent(rows, { ...held('r2', 1, '2026-12-01T10:01:00Z'), product_id: 'a', status: 'active' });
    expect(rows.map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(applyReservationEvent(rows, { ...held('r1', 1), product_id: 'a', status: 'expired' })).toBe(rows);
    rows = applyReservationEvent(rows, { ...held('r1', 2), product_id: 'a', status: 'committed' });
    expect(rows.map((r) => r.id)).toEqual(['r2']);
  });
});

describe('the vendor feed', () => {
  it('writes a burst of events into the cache once per animation frame', async () => {
    const queryClient = createQueryClient({ queries: { retry: false }, mutations: { retry: false } });
    const key = inventoryKeys.stock('v1');
    queryClient.setQueryData(key, snapshot());
    let writes = 0;
    const unsubscribe = queryClient.getQueryCache().subscribe((e) => void (e.type === 'updated' && e.action.type === 'success' && (writes += 1)));
    const feed = createFeed('v1', queryClient);
    for (let v = 4; v < 104; v += 1) feed.onLevel(event('a', 'l1', v, 0, v));
    expect(queryClient.getQueryData<StockSnapshot>(key)!.products.a!.levels.l1!.version).toBe(3);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    expect(writes).toBe(1);
    expect(queryClient.getQueryData<StockSnapshot>(key)!.products.a!.levels.l1).toMatchObject({ on_hand: 103, version: 103 });
    // Older events after that change nothing.
    feed.onLevel(event('a', 'l1', 50, 0, 50));
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    expect(writes).toBe(1);
    feed.stop();
    unsubscribe();
  });
});
