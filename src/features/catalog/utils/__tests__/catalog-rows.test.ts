import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../../api/get-products.ts';
import { catalogRows } from '../catalog-rows.ts';
import type { VendorGroup } from '../filter-products.ts';

const product = (id: string): CatalogProduct => ({
  product_id: id, vendor_id: 'v', vendor_name: 'V', sku: id, name: id, description: '', price: 1, available: 1, version: 1, low_stock_threshold: 0,
});
const group = (id: string, ids: string[]): VendorGroup => ({ id, name: id.toUpperCase(), products: ids.map(product) });

const shape = (groups: VendorGroup[], columns: number) =>
  catalogRows(groups, columns).map((row) => (row.kind === 'vendor' ? `# ${row.group.name}` : row.products.map((p) => p.product_id).join(' ')));

describe('catalogRows', () => {
  it("puts each vendor's heading before its products, `columns` to a row, a short last row", () => {
    const groups = [group('a', ['1', '2', '3', '4']), group('b', ['5'])];
    expect(shape(groups, 3)).toEqual(['# A', '1 2 3', '4', '# B', '5']);
    expect(shape(groups, 2)).toEqual(['# A', '1 2', '3 4', '# B', '5']);
    expect(shape(groups, 1)).toEqual(['# A', '1', '2', '3', '4', '# B', '5']);
  });

  it('keys rows by their first product, so a row keeps its key when products after it change', () => {
    const keys = catalogRows([group('a', ['1', '2', '3'])], 2).map((r) => r.key);
    expect(keys).toEqual(['vendor:a', 'products:1', 'products:3']);
    expect(catalogRows([], 3)).toEqual([]);
  });
});
