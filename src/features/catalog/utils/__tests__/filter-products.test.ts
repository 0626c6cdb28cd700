import { describe, expect, it } from 'vitest';
import type { CatalogProduct } from '../../api/get-products.ts';
import { groupProducts, vendorsOf, type CatalogFilters } from '../filter-products.ts';

function product(id: string, vendor: 'n' | 'h', name: string, available: number, description = ''): CatalogProduct {
  const vendorName = vendor === 'n' ? 'Northwind Outfitters' : 'Harbor Hardware';
  return { product_id: id, vendor_id: vendor, vendor_name: vendorName, sku: `SKU-${id}`, name, description, price: 1, available, version: 1, low_stock_threshold: 5 };
}

// Ordered as the catalog query returns them: by vendor name, then name.
const catalog = [
  product('1', 'h', 'Claw hammer', 12),
  product('2', 'h', 'Tape measure', 0, 'Five metres, locking'),
  product('3', 'n', 'Rain jacket', 3),
  product('4', 'n', 'Trail boots', 0),
];
const none: CatalogFilters = { search: '', vendorId: null, availableOnly: false };
const ids = (filters: Partial<CatalogFilters>) => groupProducts(catalog, { ...none, ...filters }).map((g) => [g.name, g.products.map((p) => p.product_id)]);

describe('groupProducts', () => {
  it('groups every product by vendor, in catalog order', () => {
    expect(ids({})).toEqual([['Harbor Hardware', ['1', '2']], ['Northwind Outfitters', ['3', '4']]]);
  });

  it('matches every search word, case-insensitively, in name, SKU, description or vendor', () => {
    expect(ids({ search: 'HAMMER' })).toEqual([['Harbor Hardware', ['1']]]);
    expect(ids({ search: 'sku-3' })).toEqual([['Northwind Outfitters', ['3']]]);
    expect(ids({ search: 'metres' })).toEqual([['Harbor Hardware', ['2']]]);
    expect(ids({ search: 'northwind  boots ' })).toEqual([['Northwind Outfitters', ['4']]]);
    expect(ids({ search: 'boots hammer' })).toEqual([]);
  });

  it('filters by vendor and by availability, leaving out vendors with nothing left', () => {
    expect(ids({ vendorId: 'n' })).toEqual([['Northwind Outfitters', ['3', '4']]]);
    expect(ids({ availableOnly: true })).toEqual([['Harbor Hardware', ['1']], ['Northwind Outfitters', ['3']]]);
    expect(ids({ vendorId: 'h', availableOnly: true, search: 'tape' })).toEqual([]);
  });
});

describe('vendorsOf', () => {
  it('lists each vendor once, in catalog order', () => {
    expect(vendorsOf(catalog)).toEqual([{ id: 'h', name: 'Harbor Hardware' }, { id: 'n', name: 'Northwind Outfitters' }]);
    expect(vendorsOf([])).toEqual([]);
  });
});
