import type { CatalogProduct } from '../api/get-products.ts';
import type { VendorGroup } from './filter-products.ts';

/** One row of the virtualised shop: a vendor's heading, or up to `columns` of its products. */
export type CatalogRow =
  | { kind: 'vendor'; key: string; group: VendorGroup }
  | { kind: 'products'; key: string; products: CatalogProduct[] };

export function catalogRows(groups: readonly VendorGroup[], columns: number): CatalogRow[] {
  const rows: CatalogRow[] = [];
  const perRow = Math.max(1, Math.floor(columns));
  for (const group of groups) {
    rows.push({ kind: 'vendor', key: `vendor:${group.id}`, group });
    for (let i = 0; i < group.products.length; i += perRow) {
      const products = group.products.slice(i, i + perRow);
      rows.push({ kind: 'products', key: `products:${products[0]!.product_id}`, products });
    }
  }
  return rows;
}
