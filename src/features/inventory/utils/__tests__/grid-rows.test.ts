import { describe, expect, it } from 'vitest';
import type { StockSnapshot } from '../../api/stock-snapshot.ts';
import { defaultFilters, dependsOnLiveFigures, visibleProductIds } from '../grid-rows.ts';
import { summarize } from '../stock-figures.ts';

const at = (m: number) => `2026-12-01T10:${String(m).padStart(2, '0')}:00.000Z`;
const level = (location_id: string, on_hand: number, reserved: number, minute: number) => ({ location_id, on_hand, reserved, available: on_hand - reserved, version: 1, updated_at: at(minute) });

function snapshot(): StockSnapshot {
  const base = { description: '', price: 10, low_stock_threshold: 5, active: true, updated_at: at(0) };
  return {
    locations: [
      { id: 'l1', name: 'Main' },
      { id: 'l2', name: 'Store' },
    ],
    ids: ['a', 'b', 'c', 'd'],
    products: {
      a: { ...base, id: 'a', sku: 'NW-001', name: 'Trail jacket', levels: { l1: level('l1', 10, 2, 3), l2: level('l2', 1, 0, 9) } },
      b: { ...base, id: 'b', sku: 'NW-002', name: 'Rain jacket', levels: { l1: level('l1', 3, 0, 1) } },
      c: { ...base, id: 'c', sku: 'NW-003', name: 'Camp stove', levels: {} },
      d: { ...base, id: 'd', sku: 'NW-004', name: 'Old lantern', active: false, levels: { l1: level('l1', 4, 0, 2) } },
    },
  };
}

describe('the rows of the grid', () => {
  it('searches SKU and name by every word, and shows active or inactive products', () => {
    expect(visibleProductIds(snapshot(), { ...defaultFilters, search: 'JACKET nw-00' })).toEqual(['a', 'b']);
    expect(visibleProductIds(snapshot(), { ...defaultFilters, inactive: true })).toEqual(['d']);
  });

  it('filters low and out of stock at the locations in scope', () => {
    expect(visibleProductIds(snapshot(), { ...defaultFilters, lowStock: true })).toEqual(['b']);
    expect(visibleProductIds(snapshot(), { ...defaultFilters, outOfStock: true })).toEqual(['c']);
    expect(visibleProductIds(snapshot(), { ...defaultFilters, lowStock: true, outOfStock: true })).toEqual(['b', 'c']);
    expect(visibleProductIds(snapshot(), { ...defaultFilters, lowStock: true, locationId: 'l2' })).toEqual(['a']);
  });

  it('sorts by any column, SKU breaking ties', () => {
    expect(visibleProductIds(snapshot(), { ...defaultFilters, sort: 'name' })).toEqual(['c', 'b', 'a']);
    expect(visibleProductIds(snapshot(), { ...defaultFilters, sort: 'total', descending: true })).toEqual(['a', 'b', 'c']);
    expect(visibleProductIds(snapshot(), { ...defaultFilters, sort: 'reserved:l1', descending: true })).toEqual(['a', 'b', 'c']);
    expect(visibleProductIds(snapshot(), { ...defaultFilters, sort: 'updated', descending: true })).toEqual(['a', 'b', 'c']);
    expect(dependsOnLiveFigures(defaultFilters)).toBe(false);
    expect(dependsOnLiveFigures({ ...defaultFilters, sort: 'available:l1' })).toBe(true);
  });

  it('sums the tiles over active products in scope', () => {
    expect(summarize(Object.values(snapshot().products), snapshot().locations)).toEqual({ skus: 3, onHand: 14, reserved: 2, low: 1, out: 1 });
    expect(summarize(Object.values(snapshot().products), [snapshot().locations[1]!])).toEqual({ skus: 3, onHand: 1, reserved: 0, low: 1, out: 2 });
  });
});
