export const orderKeys = {
  all: ['orders'] as const,
  lists: () => [...orderKeys.all, 'list'] as const,
  /** The orders this user placed (vendor members and admins may read more orders; this lists their own). */
  list: (customerId: string) => [...orderKeys.lists(), customerId] as const,
  detail: (orderId: string) => [...orderKeys.all, 'detail', orderId] as const,
};
