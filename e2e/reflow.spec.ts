import { expect, test, type Page } from './test.ts';
import { closeDb, createVendor } from './stock-fixtures.ts';
import { signIn } from './support.ts';

// WCAG 1.4.10 reflow: at 320 CSS px wide (a phone, or 1280 px at 400 %) and at 640 CSS px (1280 px
// at 200 % zoom) nothing is lost: the page itself never scrolls sideways (only data grids do,
// inside their own scroll box), and the main controls are still there to use.

test.afterAll(closeDb);

/** How far the page scrolls sideways (0 when it fits). */
const sidewaysScroll = (page: Page) => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

for (const viewport of [
  { width: 320, height: 640 },
  { width: 640, height: 400 },
]) {
  test(`at ${viewport.width} CSS px the shop, the inventory and its dialog fit without sideways page scroll`, async ({ page }) => {
    const v = await createVendor({ products: 2, stock: 3 });
    await page.setViewportSize(viewport);

    await page.goto(`/shop?q=${v.label}`);
    await expect(page.getByRole('article', { name: v.products[0]!.name })).toBeVisible();
    expect(await sidewaysScroll(page)).toBe(0);
    await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();

    await page.goto(`/shop/p/${v.products[0]!.id}`);
    await expect(page.getByRole('button', { name: 'Add to cart' })).toBeVisible();
    expect(await sidewaysScroll(page)).toBe(0);

    await signIn(page, v.ownerEmail, /\/inventory/);
    await page.goto(`/inventory?q=${v.label}`);
    await expect(page.getByRole('row', { name: new RegExp(`^${v.products[0]!.sku} `) })).toBeVisible();
    expect(await sidewaysScroll(page)).toBe(0);
    for (const name of ['Add product', 'Add location', 'Import count', 'Export CSV']) await expect(page.getByRole('button', { name })).toBeVisible();
    await expect(page.getByLabel('Search SKU or name')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).filter({ visible: true })).toHaveCount(1);

    // A dialog fits too, with every control reachable.
    await page.getByRole('button', { name: 'Add product' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a product' });
    await expect(dialog).toBeVisible();
    expect(await sidewaysScroll(page)).toBe(0);
    const box = await dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
    await dialog.getByRole('button', { name: 'Add product' }).scrollIntoViewIfNeeded();
    await expect(dialog.getByRole('button', { name: 'Add product' })).toBeInViewport();
  });
}
