export const catalogKeys = {
  all: ['catalog'] as const,
  /** The public catalog: every active product of every vendor, with its live availability. */
  products: () => [...catalogKeys.all, 'products'] as const,
  /** One product's page. */
  product: (productId: string) => [...catalogKeys.all, 'product', productId] as const,
};
