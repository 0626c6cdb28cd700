export const inventoryKeys = {
  all: ['inventory'] as const,
  vendor: (vendorId: string) => [...inventoryKeys.all, vendorId] as const,
  /** Products (active or not), locations and every stock level of the vendor: the grid's snapshot. */
  stock: (vendorId: string) => [...inventoryKeys.vendor(vendorId), 'stock'] as const,
  product: (vendorId: string, productId: string) => [...inventoryKeys.vendor(vendorId), 'product', productId] as const,
  ledger: (vendorId: string, productId: string) => [...inventoryKeys.product(vendorId, productId), 'ledger'] as const,
  reservations: (vendorId: string, productId: string) => [...inventoryKeys.product(vendorId, productId), 'reservations'] as const,
  lastChange: (vendorId: string, productId: string, locationId: string) => [...inventoryKeys.product(vendorId, productId), 'last-change', locationId] as const,
  drift: (vendorId: string) => [...inventoryKeys.vendor(vendorId), 'drift'] as const,
  team: (vendorId: string) => [...inventoryKeys.vendor(vendorId), 'team'] as const,
};

/** Mutation keys, so that screens can show pending stock changes (optimistic display) from the mutation cache. */
export const inventoryMutationKeys = {
  stockChange: ['inventory', 'stock-change'] as const,
};
