import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from './test.ts';
import { createShelf, type Shelf } from './shop-fixtures.ts';
import { adjustStock, closeDb } from './stock-fixtures.ts';
import { createUser, nodeClient, PASSWORD, routeRealtime, uniqueEmail } from './support.ts';

// The shop's catalog follows stock changes made elsewhere (SQL, another client's RPC) through
// Realtime, in real Chromium, without reloading: REST is cut off once the page is live, so only
// the WebSocket can bring the new numbers.

test.afterAll(closeDb);

type ShelfProduct = Shelf['products'][number];

const card = (page: Page, name: string) => page.getByRole('article', { name });

async function expectProduct(page: Page, name: string, available: string, state: string) {
  await expect(card(page, name).getByTestId('available')).toHaveText(available);
  await expect(card(page, name).getByTestId('stock-state')).toHaveText(state);
}

/** Frames about this product carrying this figure (broadcast frames may be binary; their JSON payload is readable). */
const availabilityEvents = (frames: string[], productId: string, available: number) =>
  frames.filter((f) => f.includes(productId) && new RegExp(`"available":\\s*${available}\\b`).test(f)).length;

/** What crosses the wire: catalog REST requests in flight, and the text of WebSocket frames received. */
function watchWire(page: Page) {
  let pending = 0;
  const frames: string[] = [];
  const isCatalog = (url: string) => url.includes('/rest/v1/product_availability');
  page.on('request', (request) => void (isCatalog(request.url()) && (pending += 1)));
  page.on('requestfinished', (request) => void (isCatalog(request.url()) && (pending -= 1)));
  page.on('requestfailed', (request) => void (isCatalog(request.url()) && (pending -= 1)));
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(payload.toString())));
  return { pending: () => pending, events: (productId: string, available: number) => availabilityEvents(frames, productId, available) };
}

/**
 * Waits until every vendor channel is joined and the snapshot that triggers is in, then cuts REST
 * off for the catalog and marks the document: from here on, only the WebSocket can change a
 * number, and a reload would show.
 */
async function goLiveWithoutRest(page: Page, wire: ReturnType<typeof watchWire>): Promise<{ navigations: () => number }> {
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect.poll(wire.pending).toBe(0);
  await page.route('**/rest/v1/product_availability**', (route) => route.abort());
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations += 1;
  });
  await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));
  return { navigations: () => navigations };
}

async function expectSameDocument(page: Page, watch: { navigations: () => number }) {
  expect(watch.navigations()).toBe(0);
  expect(await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
}

test('a stock change made in SQL shows up in the open catalog without a reload', async ({ page }) => {
  const shelf = await createShelf();
  const [lantern, stove] = shelf.products as [ShelfProduct, ShelfProduct];
  await adjustStock(lantern.id, shelf.locationId, 7);
  const wire = watchWire(page);

  await page.goto(`/shop?q=${shelf.label}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Shop' })).toBeVisible();
  // Signed out: the catalog is public and the shell offers to sign in.
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: shelf.vendorName })).toBeVisible();
  await expectProduct(page, lantern.name, '7', 'In stock');
  await expectProduct(page, stove.name, '0', 'Sold out');
  const watch = await goLiveWithoutRest(page, wire);

  await adjustStock(lantern.id, shelf.locationId, 5);
  await expectProduct(page, lantern.name, '12', 'In stock');
  expect(wire.events(lantern.id, 12)).toBe(1);
  await adjustStock(lantern.id, shelf.locationId, -10);
  await expectProduct(page, lantern.name, '2', 'Only 2 left');
  // A product's first stock creates its level: two events, the page ends on the last.
  await adjustStock(stove.id, shelf.locationId, 4);
  await expectProduct(page, stove.name, '4', 'In stock');
  await adjustStock(lantern.id, shelf.locationId, -2);
  await expectProduct(page, lantern.name, '0', 'Sold out');

  await expectSameDocument(page, watch);
  await expect(page).toHaveURL(new RegExp(`/shop\\?q=${shelf.label}$`));
});

test("a shopper's reservation lowers the availability a signed-in shopper sees, and its release restores it", async ({ page }) => {
  const shelf = await createShelf();
  const [lantern] = shelf.products as [ShelfProduct];
  await adjustStock(lantern.id, shelf.locationId, 9);
  const email = uniqueEmail('shop');
  await createUser(email);
  const wire = watchWire(page);

  // Signed in, the shop is one click away in the shell's navigation.
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A shopper lands in the shop.
  await expect(page).toHaveURL(/\/shop$/);
  await expect(page.getByRole('link', { name: 'Shop' })).toHaveAttribute('aria-current', 'page');
  await page.getByLabel('Search products').fill(shelf.label);
  await expect(page).toHaveURL(new RegExp(`/shop\\?q=${shelf.label}$`));
  await expectProduct(page, lantern.name, '9', 'In stock');
  const watch = await goLiveWithoutRest(page, wire);

  // The same shopper reserves from another client, through supabase-js and the stack's REST.
  const shopper = nodeClient();
  const signIn = await shopper.auth.signInWithPassword({ email, password: PASSWORD });
  expect(signIn.error).toBeNull();
  const reserve = await shopper.rpc('reserve_stock', { product_id: lantern.id, quantity: 7, idempotency_key: `e2e-${randomUUID()}` });
  expect(reserve.error).toBeNull();
  expect(reserve.data).toMatchObject({ product_id: lantern.id, quantity: 7, status: 'active' });
  await expectProduct(page, lantern.name, '2', 'Only 2 left');
  expect(wire.events(lantern.id, 2)).toBe(1);

  const release = await shopper.rpc('release_reservation', { reservation_id: (reserve.data as { id: string }).id, idempotency_key: `e2e-${randomUUID()}` });
  expect(release.error).toBeNull();
  await expectProduct(page, lantern.name, '9', 'In stock');

  await expectSameDocument(page, watch);
  await shopper.auth.signOut();
});

test('a change committed while the connection was down shows up once it is back: the snapshot is read again on resubscribe', async ({ page }) => {
  const shelf = await createShelf();
  const [lantern] = shelf.products as [ShelfProduct];
  await adjustStock(lantern.id, shelf.locationId, 6);
  const realtime = await routeRealtime(page);

  await page.goto(`/shop?q=${shelf.label}`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expectProduct(page, lantern.name, '6', 'In stock');
  await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));

  await realtime.drop();
  await expect(page.getByTestId('live-status')).toHaveText('Reconnecting');
  // Realtime does not replay broadcasts: this one reaches no socket of this page.
  await adjustStock(lantern.id, shelf.locationId, -4);
  await expect(card(page, lantern.name).getByTestId('available')).toHaveText('6');

  realtime.restore();
  await expect(page.getByTestId('live-status')).toHaveText('Live', { timeout: 20_000 });
  await expectProduct(page, lantern.name, '2', 'Only 2 left');
  expect(availabilityEvents(realtime.frames, lantern.id, 2)).toBe(0);
  expect(await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // And live again: the next change arrives as an event.
  await adjustStock(lantern.id, shelf.locationId, 10);
  await expectProduct(page, lantern.name, '12', 'In stock');
  expect(availabilityEvents(realtime.frames, lantern.id, 12)).toBe(1);
});
