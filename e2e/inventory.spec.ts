import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from './test.ts';
import { adjustStock, closeDb, createVendor, db, levelOf, movementsOf, shopperClient, type TestVendor } from './stock-fixtures.ts';
import { expectAccessible, routeRealtime, signIn } from './support.ts';

// The vendor workspace in real Chromium against the real stack: tenancy, live updates between
// browsers and from shoppers, compare-and-set, idempotent applies, reconnects, accessibility.

test.afterAll(closeDb);

const row = (page: Page, sku: string) => page.getByRole('row', { name: new RegExp(`^${sku} `) });
const onHand = (page: Page, sku: string, location: string) => row(page, sku).getByRole('button', { name: new RegExp(`^On hand at ${location}:`) });
const cell = (page: Page, sku: string, index: number) => row(page, sku).getByRole('gridcell').nth(index);
// Cells: SKU, product, then on hand / reserved / available per location (by name), then total available.
const totalCell = (page: Page, sku: string, locations: number) => cell(page, sku, 2 + 3 * locations);
const locationId = (v: TestVendor, name: string) => v.locations.find((l) => l.name === name)!.id;

async function openInventory(browser: Browser, vendor: TestVendor): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, vendor.ownerEmail, /\/inventory/);
  await page.goto(`/inventory?q=${vendor.label}`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  return page;
}

async function adjustInDialog(page: Page, sku: string, location: string, delta: string, reason = 'Received') {
  await onHand(page, sku, location).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Location')).toHaveValue(/.+/);
  await dialog.getByLabel('Change (units)').fill(delta);
  await dialog.getByLabel('Reason').selectOption({ label: reason });
  return dialog;
}

test("a vendor sees only their own stock; another vendor's product by URL is not found", async ({ browser }) => {
  const a = await createVendor({ products: 2, stock: 5 });
  const b = await createVendor({ products: 2, stock: 7 });
  for (const [me, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, me.ownerEmail, /\/inventory/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(me.vendorName);
    await page.getByLabel('Search SKU or name').fill('E2E-');
    for (const p of me.products) await expect(row(page, p.sku)).toBeVisible();
    for (const p of other.products) await expect(row(page, p.sku)).toHaveCount(0);

    await page.goto(`/inventory/p/${other.products[0]!.id}`);
    await expect(page.getByRole('dialog', { name: 'Product not found' })).toBeVisible();
    await expect(page.getByTestId('product-not-found')).toContainText('no product with this address in your inventory');
    await expect(page.getByText(other.products[0]!.name)).toHaveCount(0);
    await page.context().close();
  }
});

test('an adjustment in one browser shows in a second one and in the signed-out shop, without reload', async ({ browser }) => {
  const v = await createVendor({ products: 1, stock: 10 });
  const [p] = v.products as [TestVendor['products'][0]];
  const first = await openInventory(browser, v);
  const second = await openInventory(browser, v);
  const shop = await (await browser.newContext()).newPage();
  await shop.goto(`/shop?q=${v.label}`);
  const shopCard = shop.getByRole('article', { name: p.name });
  await expect(shopCard.getByTestId('available')).toHaveText('20');
  await expect(onHand(second, p.sku, 'Main warehouse')).toHaveText('10');
  await second.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));

  const dialog = await adjustInDialog(first, p.sku, 'Main warehouse', '5');
  await expect(dialog.getByText('On hand 10 → 15')).toBeVisible();
  const sentAt = Date.now();
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(onHand(second, p.sku, 'Main warehouse')).toHaveText('15');
  test.info().annotations.push({ type: 'latency', description: `other browser showed the adjustment ${Date.now() - sentAt} ms after Apply` });
  await expect(totalCell(second, p.sku, 2)).toHaveText('25');
  await expect(shopCard.getByTestId('available')).toHaveText('25');
  expect(await second.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(first.getByText(`${p.name}: +5 at Main warehouse`)).toBeVisible();
  expect((await movementsOf(p.id)).at(-1)).toMatchObject({ kind: 'restock', on_hand_delta: 5, reason: 'Received' });
});

test("a teammate's product edit, a new product and a new location show up without reload", async ({ browser }) => {
  const v = await createVendor({ products: 1, stock: 3 });
  const [p] = v.products as [TestVendor['products'][0]];
  const page = await openInventory(browser, v);
  await page.evaluate(() => Object.assign(globalThis, { __sameDocument: true }));
  await db().query(`update public.products set name = $2, low_stock_threshold = 10 where id = $1`, [p.id, `Renamed ${v.label}`]);
  await expect(row(page, p.sku)).toContainText(`Renamed ${v.label}`);
  await expect(row(page, p.sku).getByText('Low', { exact: true })).toBeVisible();
  await db().query(`insert into public.products (vendor_id, sku, name, price) values ($1, $2, $3, 5)`, [v.vendorId, `E2E-${v.label}-900`, `Fresh ${v.label}`]);
  await expect(row(page, `E2E-${v.label}-900`)).toContainText(`Fresh ${v.label}`);
  await db().query(`insert into public.locations (vendor_id, name) values ($1, 'Pop-up stall')`, [v.vendorId]);
  await expect(page.getByRole('columnheader', { name: 'Pop-up stall' })).toBeVisible();
  expect(await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
});

test('a new product added in the form opens in the drawer; a live drop below its threshold raises a toast', async ({ browser }) => {
  const v = await createVendor({ products: 1, locations: ['Main warehouse'], stock: 6 });
  const page = await openInventory(browser, v);
  await page.getByRole('button', { name: 'Add product' }).click();
  const form = page.getByRole('dialog', { name: 'Add a product' });
  await form.getByLabel('SKU').fill(`E2E-${v.label}-NEW`);
  await form.getByLabel('Name').fill(`Camp kettle ${v.label}`);
  await form.getByLabel('Price (USD)').fill('-3');
  await form.getByRole('button', { name: 'Add product' }).click();
  await expect(form.getByLabel('Price (USD)')).toHaveAccessibleDescription('A price like 24.99 (0 or more, at most 2 decimals).');
  await form.getByLabel('Price (USD)').fill('24.90');
  await form.getByRole('button', { name: 'Add product' }).click();
  const drawer = page.getByRole('dialog', { name: `Camp kettle ${v.label}` });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText('never stocked')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(row(page, `E2E-${v.label}-NEW`)).toBeVisible();

  // A shopper takes most of the first product: it crosses its threshold (3) while the page is open.
  const shopper = await shopperClient();
  expect((await shopper.rpc('reserve_stock', { product_id: v.products[0]!.id, quantity: 4, idempotency_key: `e2e-${randomUUID()}` })).error).toBeNull();
  await expect(page.getByText(`${v.products[0]!.name} is low on stock`)).toBeVisible();
  await expect(row(page, v.products[0]!.sku).getByText('Low', { exact: true })).toBeVisible();
  await shopper.auth.signOut();
});

test("a shopper's reservation raises reserved in the grid and shows in the drawer with a countdown; its expiry returns the stock", async ({ browser }) => {
  const v = await createVendor({ products: 1, locations: ['Main warehouse'], stock: 6 });
  const [p] = v.products as [TestVendor['products'][0]];
  const page = await openInventory(browser, v);
  await row(page, p.sku).click();
  await expect(page).toHaveURL(new RegExp(`/inventory/p/${p.id}\\?q=${v.label}$`));
  const drawer = page.getByRole('dialog', { name: p.name });
  await expect(drawer.getByText('No shopper holds this product right now.')).toBeVisible();

  const shopper = await shopperClient();
  const reserve = await shopper.rpc('reserve_stock', { product_id: p.id, quantity: 4, idempotency_key: `e2e-${randomUUID()}`, ttl_seconds: 5 });
  expect(reserve.error).toBeNull();
  const held = drawer.getByRole('list', { name: 'Active reservations' }).getByRole('listitem');
  await expect(held).toHaveCount(1);
  await expect(held).toContainText('4 × at Main warehouse');
  await expect(held.getByText(/^0:0[0-5]/)).toBeVisible();
  const levels = drawer.getByRole('table', { name: `Stock of ${p.name} by location` });
  await expect(levels.getByRole('row', { name: /Main warehouse/ }).getByRole('cell').nth(1)).toHaveText('4');

  // The stack's sweeper expires it (every 2 s): the drawer and the grid get the stock back.
  await expect(held).toHaveCount(0, { timeout: 15_000 });
  await expect(levels.getByRole('row', { name: /Main warehouse/ }).getByRole('cell').nth(2)).toHaveText('6');
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(new RegExp(`/inventory\\?q=${v.label}$`));
  await expect(cell(page, p.sku, 3)).toHaveText('0');
  await expect(cell(page, p.sku, 4)).toHaveText('6');
  await shopper.auth.signOut();
});

test('compare-and-set: the second of two counts of the same level sees the conflict, who made it, and resolves it', async ({ browser }) => {
  const v = await createVendor({ products: 1, stock: 10 });
  const [p] = v.products as [TestVendor['products'][0]];
  const first = await openInventory(browser, v);
  const second = await openInventory(browser, v);
  for (const page of [first, second]) {
    await row(page, p.sku).focus();
    await page.keyboard.press('s');
    await page.getByRole('dialog').getByLabel('Location').selectOption({ label: 'Main warehouse' });
  }
  await first.getByLabel('Counted on hand').fill('30');
  await first.getByRole('button', { name: 'Save count' }).click();
  await expect(first.getByRole('dialog')).toHaveCount(0);
  expect((await levelOf(p.id, locationId(v, 'Main warehouse'))).on_hand).toBe(30);

  await second.getByLabel('Counted on hand').fill('25');
  await second.getByRole('button', { name: 'Save count' }).click();
  const conflict = second.getByTestId('version-conflict');
  await expect(conflict).toContainText('On hand is now 30');
  await expect(conflict).toContainText('not the 10 you saw');
  // The same owner counted in the other browser; set_stock records its reason as "stock count".
  await expect(conflict).toContainText(/Last change: You, (just now|\d+ sec\. ago) \(stock count\)/);
  expect((await levelOf(p.id, locationId(v, 'Main warehouse'))).on_hand).toBe(30);

  await conflict.getByRole('button', { name: 'Review and apply 25 again' }).click();
  await second.getByRole('button', { name: 'Save count' }).click();
  await expect(second.getByRole('dialog')).toHaveCount(0);
  await expect(onHand(first, p.sku, 'Main warehouse')).toHaveText('25');
  expect((await levelOf(p.id, locationId(v, 'Main warehouse'))).on_hand).toBe(25);
});

test('a double click on Apply, and a retry after a lost answer, apply the adjustment once', async ({ browser }) => {
  const v = await createVendor({ products: 1, stock: 10 });
  const [p] = v.products as [TestVendor['products'][0]];
  const page = await openInventory(browser, v);
  const before = (await movementsOf(p.id)).length;

  const dialog = await adjustInDialog(page, p.sku, 'Main warehouse', '-2', 'Damaged');
  await dialog.getByRole('button', { name: 'Apply' }).dblclick();
  await expect(onHand(page, p.sku, 'Main warehouse')).toHaveText('8');
  await expect.poll(async () => (await movementsOf(p.id)).length).toBe(before + 1);

  // The request reaches the database, but its answer is lost: the client retries with the same key.
  let cut = 0;
  await page.route('**/rest/v1/rpc/adjust_stock', async (route) => {
    if (cut++ > 0) return route.continue();
    await route.fetch();
    await route.abort('connectionreset');
  });
  const again = await adjustInDialog(page, p.sku, 'Main warehouse', '3', 'Received');
  await again.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(`${p.name}: +3 at Main warehouse`)).toBeVisible();
  expect(cut).toBe(2);
  await expect(onHand(page, p.sku, 'Main warehouse')).toHaveText('11');
  const movements = await movementsOf(p.id);
  expect(movements.slice(before)).toEqual([
    { kind: 'adjustment', on_hand_delta: -2, reason: 'Damaged' },
    { kind: 'restock', on_hand_delta: 3, reason: 'Received' },
  ]);
  expect((await levelOf(p.id, locationId(v, 'Main warehouse'))).on_hand).toBe(11);
});

test('a refused adjustment rolls the figure back and says why', async ({ browser }) => {
  const v = await createVendor({ products: 1, locations: ['Main warehouse'], stock: 5 });
  const [p] = v.products as [TestVendor['products'][0]];
  const shopper = await shopperClient();
  expect((await shopper.rpc('reserve_stock', { product_id: p.id, quantity: 4, idempotency_key: `e2e-${randomUUID()}` })).error).toBeNull();
  const page = await openInventory(browser, v);
  await expect(cell(page, p.sku, 3)).toHaveText('4');
  const dialog = await adjustInDialog(page, p.sku, 'Main warehouse', '-3', 'Damaged');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('4 units are reserved by shoppers; on hand cannot go below 4.')).toBeVisible();
  await expect(onHand(page, p.sku, 'Main warehouse')).toHaveText('5');
  expect((await levelOf(p.id, locationId(v, 'Main warehouse'))).on_hand).toBe(5);
  await shopper.auth.signOut();
});

test('changes made while the socket was down show up after it rejoins', async ({ browser }) => {
  const v = await createVendor({ products: 1, stock: 4 });
  const [p] = v.products as [TestVendor['products'][0]];
  const page = await (await browser.newContext()).newPage();
  const realtime = await routeRealtime(page);
  await signIn(page, v.ownerEmail, /\/inventory/);
  await page.goto(`/inventory?q=${v.label}`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect(onHand(page, p.sku, 'Corner shop')).toHaveText('4');

  await realtime.drop();
  await expect(page.getByTestId('live-status')).toHaveText('Reconnecting');
  await adjustStock(p.id, locationId(v, 'Corner shop'), 9);
  await expect(onHand(page, p.sku, 'Corner shop')).toHaveText('4');
  realtime.restore();
  await expect(page.getByTestId('live-status')).toHaveText('Live', { timeout: 20_000 });
  await expect(onHand(page, p.sku, 'Corner shop')).toHaveText('13');
  // Live again: the next change arrives as an event.
  await adjustStock(p.id, locationId(v, 'Corner shop'), 1);
  await expect(onHand(page, p.sku, 'Corner shop')).toHaveText('14');
});

test('keyboard: move through the grid, open a product, adjust it, and close the drawer', async ({ browser }) => {
  const v = await createVendor({ products: 3, locations: ['Main warehouse'], stock: 2 });
  const page = await openInventory(browser, v);
  const [p1, p2] = v.products as [TestVendor['products'][0], TestVendor['products'][0]];
  await page.getByLabel('Search SKU or name').focus();
  await page.keyboard.press('Tab');
  for (let i = 0; i < 20 && !(await row(page, p1.sku).evaluate((el) => el === el.ownerDocument.activeElement)); i += 1) await page.keyboard.press('Tab');
  await expect(row(page, p1.sku)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(row(page, p2.sku)).toBeFocused();
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: p2.name });
  await expect(drawer).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(row(page, p2.sku)).toBeFocused();

  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog', { name: `Change stock · ${p2.name}` });
  await expect(dialog.getByLabel('Change (units)')).toBeFocused();
  await page.keyboard.type('7');
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(onHand(page, p2.sku, 'Main warehouse')).toHaveText('9');
  await expect(row(page, p2.sku)).toBeFocused();
});

test('the inventory, its drawer and its dialogs have no serious or critical axe violations', async ({ browser }) => {
  // axe over the page, the drawer and every dialog: three times the usual time.
  test.slow();
  const v = await createVendor({ products: 3, stock: 2 });
  const page = await openInventory(browser, v);
  const scan = (what: string) => expectAccessible(page, what);
  await scan('grid');
  await row(page, v.products[0]!.sku).click();
  await expect(page.getByRole('dialog', { name: v.products[0]!.name })).toBeVisible();
  await scan('drawer');
  await page.getByRole('tab', { name: 'History' }).click();
  await scan('drawer history');
  await page.keyboard.press('Escape');
  await onHand(page, v.products[0]!.sku, 'Main warehouse').click();
  await scan('adjust dialog');
});
