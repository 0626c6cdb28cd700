import type { Location, StockProduct, StockSnapshot } from '../api/stock-snapshot.ts';
import { figuresOf, stockStateOf } from './stock-figures.ts';

export type Measure = 'on_hand' | 'reserved' | 'available';
export type SortKey = 'sku' | 'name' | 'total' | 'updated' | `${Measure}:${string}`;

export interface InventoryFilters {
  /** Matched case-insensitively against SKU and name, every word. */
  search: string;
  /** One location's columns and figures, or all of them. */
  locationId: string | null;
  lowStock: boolean;
  outOfStock: boolean;
  /** Inactive products instead of active ones. */
  inactive: boolean;
  sort: SortKey;
  descending: boolean;
}

export const defaultFilters: InventoryFilters = { search: '', locationId: null, lowStock: false, outOfStock: false, inactive: false, sort: 'sku', descending: false };

/** The locations whose columns and figures are shown. */
export function locationsInScope(snapshot: Pick<StockSnapshot, 'locations'>, locationId: string | null): Location[] {
  if (!locationId) return snapshot.locations;
  const location = snapshot.locations.find((l) => l.id === locationId);
  return location ? [location] : snapshot.locations;
}

/** True when the filters or the sort read live figures, so stock events can change which rows show and in what order. */
export function dependsOnLiveFigures(filters: InventoryFilters): boolean {
  return filters.lowStock || filters.outOfStock || !['sku', 'name'].includes(filters.sort);
}

function sortValue(product: StockProduct, key: SortKey, scope: readonly Location[]): string | number {
  switch (key) {
    case 'sku':
      return product.sku;
    case 'name':
      return product.name.toLowerCase();
    case 'total':
      return figuresOf(product, scope).available;
    case 'updated':
      return figuresOf(product, scope).updatedAt ?? '';
    default: {
      const [measure, locationId] = key.split(':') as [Measure, string];
      return product.levels[locationId]?.[measure] ?? -1;
    }
  }
}

/** Ids of the products that pass the filters, in the chosen order (SKU breaks ties). */
export function visibleProductIds(snapshot: StockSnapshot, filters: InventoryFilters): string[] {
  const scope = locationsInScope(snapshot, filters.locationId);
  const terms = filters.search.toLowerCase().split(/\s+/).filter(Boolean);
  const rows: Array<{ id: string; sku: string; value: string | number }> = [];
  for (const id of snapshot.ids) {
    const product = snapshot.products[id];
    if (!product || product.active === filters.inactive) continue;
    if (terms.length > 0) {
      const text = `${product.sku} ${product.name}`.toLowerCase();
      if (!terms.every((term) => text.includes(term))) continue;
    }
    if (filters.lowStock || filters.outOfStock) {
      const state = stockStateOf(figuresOf(product, scope).available, product.low_stock_threshold);
      if (!((filters.lowStock && state === 'low') || (filters.outOfStock && state === 'out'))) continue;
    }
    rows.push({ id, sku: product.sku, value: sortValue(product, filters.sort, scope) });
  }
  const direction = filters.descending ? -1 : 1;
  rows.sort((a, b) => {
    const byValue = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return byValue !== 0 ? byValue * direction : a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
  });
  return rows.map((r) => r.id);
}
