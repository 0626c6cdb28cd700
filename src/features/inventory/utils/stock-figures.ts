import type { Location, StockProduct } from '../api/stock-snapshot.ts';

export type StockState = 'ok' | 'low' | 'out';

export interface Figures {
  onHand: number;
  reserved: number;
  available: number;
  /** The latest change among the levels counted, or undefined when the product was never stocked there. */
  updatedAt: string | undefined;
}

/** A product's figures summed over the given locations. */
export function figuresOf(product: StockProduct, locations: readonly Location[]): Figures {
  let onHand = 0;
  let reserved = 0;
  let available = 0;
  let updatedAt: string | undefined;
  for (const { id } of locations) {
    const level = product.levels[id];
    if (!level) continue;
    onHand += level.on_hand;
    reserved += level.reserved;
    available += level.available;
    if (!updatedAt || level.updated_at > updatedAt) updatedAt = level.updated_at;
  }
  return { onHand, reserved, available, updatedAt };
}

/** Out when nothing is available; low at or under the product's threshold, as the shop counts it. */
export function stockStateOf(available: number, threshold: number): StockState {
  if (available <= 0) return 'out';
  return available <= threshold ? 'low' : 'ok';
}

export interface Summary {
  skus: number;
  onHand: number;
  reserved: number;
  low: number;
  out: number;
}

/** The tiles above the grid: over the vendor's active products, at the locations in scope. */
export function summarize(products: Iterable<StockProduct>, locations: readonly Location[]): Summary {
  const summary: Summary = { skus: 0, onHand: 0, reserved: 0, low: 0, out: 0 };
  for (const product of products) {
    if (!product.active) continue;
    const f = figuresOf(product, locations);
    summary.skus += 1;
    summary.onHand += f.onHand;
    summary.reserved += f.reserved;
    const state = stockStateOf(f.available, product.low_stock_threshold);
    if (state === 'low') summary.low += 1;
    if (state === 'out') summary.out += 1;
  }
  return summary;
}
