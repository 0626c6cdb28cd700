import { expect, test } from './test.ts';
import { createShelf, createShopper } from './shop-fixtures.ts';
import { adjustStock, closeDb } from './stock-fixtures.ts';
import { expectAccessible, signIn } from './support.ts';

// axe-core on the shopper's screens, with data on them: no serious or critical WCAG 2.x A/AA
// violation on the product page, the cart (and its checkout dialog), the order and the orders.

test.afterAll(closeDb);


test('the product page, cart, checkout, order and orders have no serious or critical accessibility violations', async ({ page }) => {
  const shelf = await createShelf({ names: ['Trail jacket', 'Wool hat'] });
  const [jacket, hat] = shelf.products as [(typeof shelf.products)[0], (typeof shelf.products)[0]];
  await adjustStock(jacket.id, shelf.locationId, 6);
  await adjustStock(hat.id, shelf.locationId, 2);
  const shopper = await createShopper();

  await page.goto(`/shop/p/${jacket.id}`);
  await expect(page.getByTestId('available')).toHaveText('6');
  await expectAccessible(page, 'product, signed out');

  await signIn(page, shopper.email, /\/shop$/);
  await page.goto(`/shop?q=${shelf.label}`);
  await expect(page.getByRole('article', { name: hat.name })).toBeVisible();
  await expectAccessible(page, 'shop');

  await page.goto(`/shop/p/${hat.id}`);
  await expect(page.getByTestId('stock-state')).toHaveText('Only 2 left');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByText(`1 × ${hat.name} held in your cart`)).toBeVisible();
  await expectAccessible(page, 'product, signed in, held');

  await page.goto(`/shop/p/${jacket.id}?qty=2`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByText(`2 × ${jacket.name} held in your cart`)).toBeVisible();

  await page.goto('/cart');
  await expect(page.getByTestId('cart-line')).toHaveCount(2);
  await expectAccessible(page, 'cart');

  await page.getByRole('button', { name: `Checkout ${shelf.vendorName}` }).click();
  await expect(page.getByText(`Place your order with ${shelf.vendorName}`)).toBeVisible();
  await expectAccessible(page, 'checkout dialog');
  await page.getByRole('button', { name: /^Place order/ }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('order-line')).toHaveCount(2);
  await expectAccessible(page, 'order');

  await page.goto('/orders');
  await expect(page.getByTestId('order-row')).toHaveCount(1);
  await expectAccessible(page, 'orders');

  await page.goto('/cart');
  await expect(page.getByText('Your cart is empty')).toBeVisible();
  await expectAccessible(page, 'empty cart');
});
