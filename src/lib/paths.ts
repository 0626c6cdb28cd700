// Addresses that several features link to (a cart line to its product, checkout to its order).

export const productPath = (productId: string, quantity?: number) => `/shop/p/${productId}${quantity && quantity > 1 ? `?qty=${quantity}` : ''}`;
export const orderPath = (orderId: string) => `/orders/${orderId}`;
export const cartPath = '/cart';
