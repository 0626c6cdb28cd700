import { expect, test, type Locator, type Page } from './test.ts';
import { createShelf, createShopper, reservationsOf, watchVendorFeed } from './shop-fixtures.ts';
import { adjustStock, closeDb, db } from './stock-fixtures.ts';
import { routeRealtime, signIn } from './support.ts';

// The shopper's flow in real Chromium against the real stack: add to cart holds stock (the
// vendor's feed sees it), the cart counts each hold down, checkout places one order per vendor.

test.afterAll(closeDb);

const line = (page: Page, name: string) => page.getByRole('article', { name });
/** The header's cart count (the navigation is rendered twice, for wide and narrow screens; one shows). */
const cartBadge = (page: Page): Locator => page.getByTestId('nav-badge-cart').filter({ visible: true });
const countdownSeconds = async (locator: Locator) => {
  const [m, s] = (await locator.getByTestId('countdown').innerText()).split(':').map(Number);
  return m! * 60 + s!;
};

test('add to cart holds stock the vendor sees; the cart counts down, survives a reload and checks out into one order', async ({ page }) => {
  const shelf = await createShelf({ names: ['Trail jacket', 'Wool hat'], price: 25 });
  const [jacket, hat] = shelf.products as [(typeof shelf.products)[0], (typeof shelf.products)[0]];
  await adjustStock(jacket.id, shelf.locationId, 8);
  await adjustStock(hat.id, shelf.locationId, 5);
  const shopper = await createShopper();
  const feed = await watchVendorFeed(shelf);
  try {
    await signIn(page, shopper.email, /\/shop$/);

    // The product page: vendor, price, live availability, a quantity bounded by it.
    await page.goto(`/shop/p/${jacket.id}`);
    await expect(page.getByRole('heading', { level: 1, name: jacket.name })).toBeVisible();
    await expect(page.getByText(shelf.vendorName).first()).toBeVisible();
    await expect(page.getByTestId('available')).toHaveText('8');
    await expect(page.getByTestId('stock-state')).toHaveText('In stock');
    await page.getByRole('button', { name: 'One more' }).click();
    await page.getByRole('button', { name: 'One more' }).click();
    await expect(page.getByLabel('Quantity')).toHaveValue('3');
    await expect(page).toHaveURL(new RegExp(`/shop/p/${jacket.id}\\?qty=3$`));
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await expect(page.getByText(`3 × ${jacket.name} held in your cart`)).toBeVisible();
    // The vendor's feed shows the units reserved, and the page's own availability drops.
    await expect.poll(() => feed.of(jacket.id).at(-1)?.reserved).toBe(3);
    expect(feed.of(jacket.id).at(-1)).toMatchObject({ on_hand: 8, reserved: 3, available: 5 });
    await expect(page.getByTestId('available')).toHaveText('5');
    await expect(cartBadge(page)).toHaveText('(3)');

    // A quick add from the shop's card.
    await page.goto(`/shop?q=${shelf.label}`);
    await page.getByRole('button', { name: `Add ${hat.name} to cart` }).click();
    await expect(page.getByText(`1 × ${hat.name} held in your cart`)).toBeVisible();
    await expect(cartBadge(page)).toHaveText('(4)');

    // The cart: grouped under the vendor, each line counting down from the vendor's 10 minutes.
    await page.getByRole('link', { name: /^Cart/ }).click();
    const group = page.getByRole('region', { name: shelf.vendorName });
    await expect(group.getByTestId('cart-line')).toHaveCount(2);
    await expect(line(page, jacket.name).getByTestId('line-subtotal')).toHaveText('$75.00');
    // What else is available follows the shelf live (even while the snapshot read after joining is under way).
    await expect(line(page, hat.name)).toContainText('4 more available');
    await expect(page.getByTestId('live-status')).toHaveText('Live');
    await adjustStock(hat.id, shelf.locationId, 3);
    await expect(line(page, hat.name)).toContainText('7 more available');
    const before = await countdownSeconds(line(page, jacket.name));
    expect(before).toBeGreaterThan(9 * 60);
    expect(before).toBeLessThanOrEqual(10 * 60);
    await expect(line(page, jacket.name).getByTestId('countdown')).toHaveAttribute('data-state', 'held');
    await expect(line(page, jacket.name).getByTestId('countdown')).not.toHaveText(`${Math.floor(before / 60)}:${String(before % 60).padStart(2, '0')}`);

    // A reload reads the same holds from the server, still counting down.
    await page.reload();
    await expect(page.getByTestId('cart-line')).toHaveCount(2);
    await expect(line(page, jacket.name).getByLabel(`Quantity of ${jacket.name}`)).toHaveValue('3');
    await expect(line(page, hat.name).getByLabel(`Quantity of ${hat.name}`)).toHaveValue('1');
    const after = await countdownSeconds(line(page, jacket.name));
    expect(after).toBeLessThan(before);
    expect(after).toBeGreaterThan(before - 30);

    // Fewer of one: changed in place, and the vendor sees the units come back.
    await line(page, jacket.name).getByLabel(`Quantity of ${jacket.name}`).selectOption('2');
    await expect(page.getByText(`Now holding 2 × ${jacket.name}`)).toBeVisible();
    await expect.poll(() => feed.of(jacket.id).at(-1)?.reserved).toBe(2);

    // Checkout of the vendor's group places the order and opens it.
    await group.getByRole('button', { name: `Checkout ${shelf.vendorName}` }).click();
    const dialog = page.getByRole('dialog', { name: `Place your order with ${shelf.vendorName}` });
    await expect(dialog.getByTestId('checkout-total')).toHaveText('$75.00');
    await dialog.getByRole('button', { name: /^Place order/ }).click();
    await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
    const orderId = page.url().split('/').pop()!;
    await expect(page.getByRole('heading', { level: 1, name: `Order from ${shelf.vendorName}` })).toBeVisible();
    await expect(page.getByTestId('order-line')).toHaveCount(2);
    await expect(page.getByTestId('order-total')).toHaveText('$75.00');
    await expect(page.getByTestId('order-id')).toHaveText(orderId);
    const { rows: [order] } = await db().query<{ request_id: string; customer_id: string }>('select request_id, customer_id from public.orders where id = $1', [orderId]);
    expect(order).toMatchObject({ customer_id: shopper.id });
    await expect(page.getByTestId('request-id')).toHaveText(order!.request_id);
    await expect(cartBadge(page)).toHaveCount(0);

    // The ledger: one sale per line, referencing the order; the vendor's feed shows stock gone.
    const { rows: sales } = await db().query<{ product_id: string; on_hand_delta: number; request_id: string }>(
      `select product_id, on_hand_delta, request_id from public.stock_movements where kind = 'sale' and reference = $1 order by product_id`,
      [orderId],
    );
    expect(sales.map((s) => [s.product_id, s.on_hand_delta, s.request_id]).sort()).toEqual(
      [[jacket.id, -2, order!.request_id], [hat.id, -1, order!.request_id]].sort(),
    );
    await expect.poll(() => feed.of(jacket.id).at(-1)).toMatchObject({ on_hand: 6, reserved: 0 });

    // And the orders list has it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    await expect(page.getByTestId('order-row')).toHaveCount(1);
    await expect(page.getByTestId('order-row')).toContainText(shelf.vendorName);
    await expect(page.getByTestId('order-row')).toContainText('$75.00');
  } finally {
    await feed.close();
  }
});

test('two shoppers race for the last unit: exactly one holds it, the other is told it is sold out', async ({ browser }) => {
  const shelf = await createShelf({ names: ['Last lantern'] });
  const [lantern] = shelf.products as [(typeof shelf.products)[0]];
  await adjustStock(lantern.id, shelf.locationId, 1);
  const shoppers = await Promise.all([createShopper('racer'), createShopper('racer')]);
  const contexts = await Promise.all(shoppers.map(() => browser.newContext()));
  const pages = await Promise.all(contexts.map((c) => c.newPage()));
  for (const [i, page] of pages.entries()) {
    await signIn(page, shoppers[i]!.email, /\/shop$/);
    await page.goto(`/shop/p/${lantern.id}`);
    await expect(page.getByTestId('stock-state')).toHaveText('Only 1 left');
  }
  await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Add to cart' }).click()));

  // A click returns before its call is answered: wait for the holds to settle. Exactly one of
  // the two ever holds the unit (two holds would keep this poll failing).
  const holds = () => Promise.all(shoppers.map((s) => reservationsOf(s.id, lantern.id)));
  await expect.poll(async () => (await holds()).map((rows) => rows.length).sort()).toEqual([0, 1]);
  const held = await holds();
  const winner = held[0]!.length === 1 ? 0 : 1;
  const loser = 1 - winner;
  await expect(pages[winner]!.getByText(`1 × ${lantern.name} held in your cart`)).toBeVisible();
  // The other either lost the race on the server (a clear error) or saw it sold out first.
  await expect(pages[loser]!.getByRole('alert').or(pages[loser]!.getByRole('button', { name: 'Sold out' })).first()).toBeVisible();
  if (await pages[loser]!.getByRole('alert').isVisible()) {
    await expect(pages[loser]!.getByRole('alert')).toHaveText(`${lantern.name} is sold out: someone else got the last one.`);
  }
  // Both pages end up showing it sold out, live.
  for (const page of pages) await expect(page.getByTestId('stock-state')).toHaveText('Sold out');
  await expect(pages[loser]!.getByRole('button', { name: 'Sold out' })).toBeDisabled();

  // The winner buys it; nothing was sold beyond the one unit.
  await pages[winner]!.goto('/cart');
  await pages[winner]!.getByRole('button', { name: `Checkout ${shelf.vendorName}` }).click();
  await pages[winner]!.getByRole('button', { name: /^Place order/ }).click();
  await expect(pages[winner]!).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const { rows } = await db().query<{ sold: number; on_hand: number }>(
    `select (select coalesce(sum(quantity), 0)::int from public.order_lines where product_id = $1) as sold,
            (select on_hand from public.inventory_levels where product_id = $1) as on_hand`,
    [lantern.id],
  );
  expect(rows[0]).toEqual({ sold: 1, on_hand: 0 });
  await pages[loser]!.goto('/cart');
  await expect(pages[loser]!.getByText('Your cart is empty')).toBeVisible();
});

test('a short hold expires in the cart at once, its stock goes back on sale in the shop without a reload, and it can be held again', async ({ page, browser }) => {
  // A vendor holding stock for 10 seconds (the shortest hold a vendor may set), one extension.
  const shelf = await createShelf({ names: ['Flash kettle'], ttlSeconds: 10, maxExtensions: 1 });
  const [kettle] = shelf.products as [(typeof shelf.products)[0]];
  await adjustStock(kettle.id, shelf.locationId, 6);
  const shopper = await createShopper();
  const watcherContext = await browser.newContext();
  // Someone else watches the shop, signed out.
  const watcher = await watcherContext.newPage();
  await watcher.goto(`/shop?q=${shelf.label}`);
  const card = watcher.getByRole('article', { name: kettle.name });
  await expect(card.getByTestId('available')).toHaveText('6');
  await expect(watcher.getByTestId('live-status')).toHaveText('Live');

  await signIn(page, shopper.email, /\/shop$/);
  await page.goto(`/shop/p/${kettle.id}?qty=2`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByText(`2 × ${kettle.name} held in your cart`)).toBeVisible();
  await expect(card.getByTestId('available')).toHaveText('4');

  await page.goto('/cart');
  const held = line(page, kettle.name);
  // Under a minute left: the countdown is amber from the start.
  await expect(held.getByTestId('countdown')).toHaveAttribute('data-state', 'ending');
  // Keep holding once (the vendor allows one): the hold restarts, then cannot be extended again.
  await held.getByRole('button', { name: `Keep holding ${kettle.name}` }).click();
  await expect(page.getByText(`Holding ${kettle.name} longer`)).toBeVisible();
  await expect(held.getByRole('button', { name: `Keep holding ${kettle.name}` })).toHaveCount(0);
  await expect(held.getByText('This hold cannot be extended again.')).toBeVisible();
  const [reservation] = await reservationsOf(shopper.id, kettle.id);
  expect(reservation).toMatchObject({ status: 'active' });

  // It lapses: the line says so at once, and the sweeper returns the stock the shop shows.
  await expect(held).toHaveAttribute('data-state', 'expired', { timeout: 15_000 });
  await expect(held.getByText('Hold expired — stock released')).toBeVisible();
  await expect(cartBadge(page)).toHaveCount(0);
  await expect(card.getByTestId('available')).toHaveText('6', { timeout: 10_000 });
  await expect.poll(async () => (await reservationsOf(shopper.id, kettle.id))[0]?.status).toBe('expired');
  await expect(page.getByRole('button', { name: `Checkout ${shelf.vendorName}` })).toBeDisabled();

  // Try again holds it anew.
  await held.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByText(`2 × ${kettle.name} held again`)).toBeVisible();
  await expect(line(page, kettle.name)).toHaveAttribute('data-state', 'ending');
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(card.getByTestId('available')).toHaveText('4');
  expect((await reservationsOf(shopper.id, kettle.id)).map((r) => r.status)).toEqual(['expired', 'active']);
});

/** Clicks a button twice within one task: the second click lands before React re-renders (and disables) it. */
async function doubleClick(locator: Locator) {
  await locator.evaluate((button: { click: () => void }) => {
    button.click();
    button.click();
  });
}

test('a double click on "Add to cart" holds stock once, and on "Place order" places one order', async ({ page }) => {
  const shelf = await createShelf({ names: ['Enamel mug'] });
  const [mug] = shelf.products as [(typeof shelf.products)[0]];
  await adjustStock(mug.id, shelf.locationId, 10);
  const shopper = await createShopper();
  const keys: Record<string, string[]> = { reserve_stock: [], checkout: [] };
  page.on('request', (request) => {
    const fn = /\/rest\/v1\/rpc\/(reserve_stock|checkout)$/.exec(request.url())?.[1];
    if (fn) keys[fn]!.push((request.postDataJSON() as { idempotency_key: string }).idempotency_key);
  });
  await signIn(page, shopper.email, /\/shop$/);

  await page.goto(`/shop/p/${mug.id}?qty=2`);
  await doubleClick(page.getByRole('button', { name: 'Add to cart' }));
  await expect(page.getByText(`2 × ${mug.name} held in your cart`).first()).toBeVisible();
  await expect.poll(() => keys.reserve_stock!.length).toBe(2);
  expect(new Set(keys.reserve_stock).size).toBe(1);
  expect((await reservationsOf(shopper.id, mug.id)).map((r) => [r.quantity, r.status])).toEqual([[2, 'active']]);
  await expect(page.getByTestId('available')).toHaveText('8');

  await page.goto('/cart');
  await page.getByRole('button', { name: `Checkout ${shelf.vendorName}` }).click();
  await doubleClick(page.getByRole('button', { name: /^Place order/ }));
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect.poll(() => keys.checkout!.length).toBe(2);
  expect(new Set(keys.checkout).size).toBe(1);
  const { rows } = await db().query<{ n: number }>('select count(*)::int as n from public.orders where customer_id = $1', [shopper.id]);
  expect(rows[0]!.n).toBe(1);
  const { rows: level } = await db().query('select on_hand, reserved from public.inventory_levels where product_id = $1', [mug.id]);
  expect(level).toEqual([{ on_hand: 8, reserved: 0 }]);
});

test('a signed-out "Add to cart" asks to sign in and comes back to the product with the quantity kept', async ({ page }) => {
  const shelf = await createShelf({ names: ['Canvas tote'] });
  const [tote] = shelf.products as [(typeof shelf.products)[0]];
  await adjustStock(tote.id, shelf.locationId, 9);
  const shopper = await createShopper();

  await page.goto(`/shop/p/${tote.id}`);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'One more' }).click();
  await expect(page.getByLabel('Quantity')).toHaveValue('4');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByText('Sign in to hold items in your cart.', { exact: false })).toBeVisible();
  await page.getByLabel('Email address').fill(shopper.email);
  await page.getByLabel('Password', { exact: true }).fill('correct-horse-battery');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(new RegExp(`/shop/p/${tote.id}\\?qty=4$`));
  await expect(page.getByLabel('Quantity')).toHaveValue('4');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByText(`4 × ${tote.name} held in your cart`)).toBeVisible();
  expect((await reservationsOf(shopper.id, tote.id)).map((r) => r.quantity)).toEqual([4]);
});

test('a hold that lapsed while the page could not tell: checkout names it and offers to hold it again, then places the order', async ({ page }) => {
  const shelf = await createShelf({ names: ['Flash kettle'], ttlSeconds: 10 });
  const [kettle] = shelf.products as [(typeof shelf.products)[0]];
  await adjustStock(kettle.id, shelf.locationId, 5);
  const shopper = await createShopper();
  // The page's clock and its live connection, under the test's control.
  await page.clock.install();
  const realtime = await routeRealtime(page);

  await signIn(page, shopper.email, /\/shop$/);
  await page.goto(`/shop/p/${kettle.id}?qty=2`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByText(`2 × ${kettle.name} held in your cart`)).toBeVisible();
  await page.goto('/cart');
  await page.getByRole('button', { name: `Checkout ${shelf.vendorName}` }).click();
  await expect(page.getByTestId('checkout-total')).toHaveText('$39.98');

  // The page stops hearing about the hold and its clock falls a minute behind, while the hold
  // runs out on the server (and the sweeper marks it expired).
  await realtime.drop();
  await page.clock.setSystemTime(Date.now() - 60_000);
  const [held] = await reservationsOf(shopper.id, kettle.id);
  await expect.poll(async () => (await reservationsOf(shopper.id, kettle.id))[0]?.status, { timeout: 20_000 }).toBe('expired');
  expect(held!.status).toBe('active');

  await page.getByRole('button', { name: /^Place order/ }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The order was not placed');
  await expect(alert).toContainText(`The hold on ${kettle.name} expired and its stock went back on sale.`);
  await expect(alert).toContainText(/Reference for support: [0-9a-f-]{36}/);
  await alert.getByRole('button', { name: `Hold ${kettle.name} again` }).click();
  await expect(page.getByText(`2 × ${kettle.name} held again`)).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.getByRole('button', { name: /^Place order/ }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const statuses = (await reservationsOf(shopper.id, kettle.id)).map((r) => r.status);
  expect(statuses).toEqual(['expired', 'committed']);
});
