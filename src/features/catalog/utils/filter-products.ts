import type { CatalogProduct } from '../api/get-products.ts';

export interface CatalogFilters {
  /** Matched case-insensitively against name, SKU, description and vendor name. */
  search: string;
  vendorId: string | null;
  availableOnly: boolean;
}

export interface VendorOption {
  id: string;
  name: string;
}

export interface VendorGroup extends VendorOption {
  products: CatalogProduct[];
}

/** Vendors in catalog order (rows arrive ordered by vendor name). */
export function vendorsOf(products: readonly CatalogProduct[]): VendorOption[] {
  const seen = new Map<string, VendorOption>();
  for (const p of products) if (!seen.has(p.vendor_id)) seen.set(p.vendor_id, { id: p.vendor_id, name: p.vendor_name });
  return [...seen.values()];
}

function matches(product: CatalogProduct, filters: CatalogFilters, terms: string[]): boolean {
  if (filters.vendorId && product.vendor_id !== filters.vendorId) return false;
  if (filters.availableOnly && product.available <= 0) return false;
  if (terms.length === 0) return true;
  const text = `${product.name} ${product.sku} ${product.description} ${product.vendor_name}`.toLowerCase();
  return terms.every((term) => text.includes(term));
}

/** The products that pass the filters, grouped by vendor; vendors with none left out. */
export function groupProducts(products: readonly CatalogProduct[], filters: CatalogFilters): VendorGroup[] {
  const terms = filters.search.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = new Map<string, VendorGroup>();
  for (const product of products) {
    if (!matches(product, filters, terms)) continue;
    let group = groups.get(product.vendor_id);
    if (!group) {
      group = { id: product.vendor_id, name: product.vendor_name, products: [] };
      groups.set(product.vendor_id, group);
    }
    group.products.push(product);
  }
  return [...groups.values()];
}
