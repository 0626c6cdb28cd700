export const cartKeys = {
  all: ['cart'] as const,
  /** The signed-in shopper's holds (cart_lines()); the session reset drops it on sign-out. */
  lines: () => [...cartKeys.all, 'lines'] as const,
};
