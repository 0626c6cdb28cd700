export type StockState = 'in-stock' | 'low-stock' | 'out-of-stock';

/** Low stock is at or under the vendor's threshold for the product, as the vendor dashboard counts it. */
export function stockState(available: number, lowStockThreshold: number): StockState {
  if (available <= 0) return 'out-of-stock';
  return available <= lowStockThreshold ? 'low-stock' : 'in-stock';
}

/** What a shopper reads: "In stock", "Only 3 left", "Sold out". */
export function stockLabel(available: number, lowStockThreshold: number): string {
  switch (stockState(available, lowStockThreshold)) {
    case 'in-stock':
      return 'In stock';
    case 'low-stock':
      return `Only ${available} left`;
    case 'out-of-stock':
      return 'Sold out';
  }
}
