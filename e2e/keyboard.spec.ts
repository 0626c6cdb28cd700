import { randomUUID } from 'node:crypto';
import { expect, test, type Locator, type Page } from './test.ts';
import { createShopper } from './shop-fixtures.ts';
import { closeDb, createVendor, db, type TestVendor } from './stock-fixtures.ts';
import { createUser, signIn, uniqueEmail } from './support.ts';

// The main jobs done with the keyboard only (Tab, Shift+Tab, arrows, Enter, Space, Escape), the
// focused element asserted at every step: each focus is visible (an outline or ring whose colour
// has at least 3:1 against white), dialogs and drawers keep focus inside and give it back, and
// Tab goes through a whole page and out of it (no keyboard trap).

test.afterAll(closeDb);

interface FocusState {
  focused: boolean;
  what: string;
  /** Contrast against white of the outline or ring colour (0 without either). */
  indicator: number;
  inDialog: boolean;
  skipLink: boolean;
}

// Runs in the page (the e2e project has no DOM types): what is focused, and how its focus shows.
// Colours come back in any CSS syntax (oklch from Tailwind): a canvas turns them into sRGB.
const FOCUS_STATE = `(async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return { focused: false, what: 'nothing', indicator: 0, inDialog: false, skipLink: false };
  // A colour transition (transition-colors includes the outline) is read at its end.
  await Promise.all(el.getAnimations().filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => {})));
  const style = getComputedStyle(el);
  const ctx = document.createElement('canvas').getContext('2d');
  const rgb = (color) => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = color; ctx.fillRect(0, 0, 1, 1); return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)]; };
  const lin = (v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  const luminance = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const onWhite = (color) => 1.05 / (luminance(rgb(color)) + 0.05);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? onWhite(style.outlineColor) : 0;
  // A Tailwind ring is a box-shadow layer "<colour> 0px 0px 0px 2px [inset]".
  const layer = style.boxShadow.split(/,(?![^(]*\\))/).map((s) => s.trim()).find((s) => /0px 0px 0px [1-9]/.test(s));
  const ringColor = layer ? layer.replace(/\\s*(inset\\s*)?0px 0px 0px [\\d.]+px(\\s*inset)?\\s*$/, '') : null;
  const ring = ringColor ? onWhite(ringColor) : 0;
  const role = el.getAttribute('role');
  return {
    focused: true,
    what: el.tagName.toLowerCase() + (role ? '[role=' + role + ']' : '') + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40) + '"',
    indicator: Math.max(outline, ring),
    inDialog: el.closest('[role="dialog"]') !== null,
    skipLink: el.getAttribute('href') === '#main',
  };
})()`;

const focusState = (page: Page): Promise<FocusState> => page.evaluate(FOCUS_STATE);

/** The focused element shows its focus, with an indicator of at least 3:1 against white (WCAG 1.4.11). */
async function expectVisibleFocus(page: Page): Promise<void> {
  const state = await focusState(page);
  expect(state.focused, 'something has focus').toBe(true);
  expect(state.indicator, `focus indicator contrast of ${state.what}`).toBeGreaterThanOrEqual(3);
}

/** Presses `key` (Tab or Shift+Tab) until `target` has focus, checking each stop shows its focus. */
async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab', max = 40): Promise<void> {
  // Already there (a field focused on load).
  if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return expectVisibleFocus(page);
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    await expectVisibleFocus(page);
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
  }
  throw new Error(`${target} not reached in ${max} × ${key}`);
}

/** Tab `times` times inside an open dialog: focus never leaves it, and always shows. */
async function expectFocusTrapped(page: Page, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await page.keyboard.press('Tab');
    const state = await focusState(page);
    expect(state.focused && state.inDialog, `Tab ${i + 1} stays in the dialog`).toBe(true);
    await expectVisibleFocus(page);
  }
}

const row = (page: Page, sku: string) => page.getByRole('row', { name: new RegExp(`^${sku} `) });
const onHand = (page: Page, sku: string, location: string) => row(page, sku).getByRole('button', { name: new RegExp(`^On hand at ${location}:`) });

test('a vendor filters the grid, opens a product, adjusts its stock and closes the drawer, with the keyboard only', async ({ page }) => {
  const v = await createVendor({ products: 3, locations: ['Main warehouse'], stock: 4 });
  const [, p2] = v.products as [TestVendor['products'][0], TestVendor['products'][0]];
  await signIn(page, v.ownerEmail, /\/inventory/);
  await page.goto(`/inventory?q=${v.label}`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  await expect(page.getByRole('row', { name: /^E2E-/ })).toHaveCount(3);

  // From the top of the page: the skip link, then on to the search box.
  await tabTo(page, page.getByRole('link', { name: 'Skip to content' }));
  const search = page.getByLabel('Search SKU or name');
  await tabTo(page, search);
  await page.keyboard.press('End');
  await page.keyboard.type('-002');
  await expect(page).toHaveURL(new RegExp(`q=${v.label}-002`));
  await expect(page.getByRole('row', { name: /^E2E-/ })).toHaveCount(1);

  // Into the grid, and the product opens in the drawer; focus moves into it and stays there.
  await tabTo(page, row(page, p2.sku));
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: p2.name });
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/inventory/p/${p2.id}`));
  expect((await focusState(page)).inDialog).toBe(true);
  await expectFocusTrapped(page, 12);

  // Adjust from the drawer's levels: its own dialog, focus on the change field.
  const adjust = drawer.getByRole('button', { name: 'Adjust at Main warehouse' });
  await tabTo(page, adjust);
  await page.keyboard.press('Enter');
  const change = page.getByRole('dialog', { name: `Change stock · ${p2.name}` });
  await expect(change.getByLabel('Change (units)')).toBeFocused();
  await expectVisibleFocus(page);
  await page.keyboard.type('6');
  await page.keyboard.press('Enter');
  await expect(change).toHaveCount(0);
  // Focus comes back to the button that opened the dialog, in the drawer, which shows the new count.
  await expect(adjust).toBeFocused();
  await expect(drawer.getByRole('row', { name: /^Main warehouse/ })).toContainText('10');

  // Escape closes the drawer; focus returns to the row it was opened from.
  await page.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(row(page, p2.sku)).toBeFocused();
  await expectVisibleFocus(page);
  await expect(onHand(page, p2.sku, 'Main warehouse')).toHaveText('10');
});

test('a shopper adds to the cart and checks out, with the keyboard only', async ({ page }) => {
  const v = await createVendor({ products: 2, locations: ['Main warehouse'], stock: 5 });
  const [p1] = v.products as [TestVendor['products'][0]];
  const shopper = await createShopper();
  await signIn(page, shopper.email, /\/shop$/);
  await page.goto(`/shop?q=${v.label}`);
  await expect(page.getByRole('article', { name: p1.name })).toBeVisible();

  // The product's card is a link: Tab to it, Enter opens the product page.
  await tabTo(page, page.getByRole('link', { name: p1.name }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/shop/p/${p1.id}`));
  await expect(page.getByRole('heading', { level: 1, name: p1.name })).toBeVisible();

  // One more with the stepper, then Add to cart.
  await tabTo(page, page.getByRole('button', { name: 'One more' }));
  await page.keyboard.press('Space');
  await expect(page.getByLabel('Quantity')).toHaveValue('2');
  await tabTo(page, page.getByRole('button', { name: 'Add to cart' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText(`2 × ${p1.name} held in your cart`)).toBeVisible();

  // "You hold 2 in your cart": its link goes to the cart.
  await tabTo(page, page.getByRole('link', { name: 'cart', exact: true }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  // Checkout opens a dialog: focus inside, trapped; Escape gives focus back to the button.
  const checkout = page.getByRole('button', { name: `Checkout ${v.vendorName}` });
  await tabTo(page, checkout);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /Place your order/ });
  await expect(dialog).toBeVisible();
  expect((await focusState(page)).inDialog).toBe(true);
  await expectFocusTrapped(page, 6);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(checkout).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await tabTo(page, dialog.getByRole('button', { name: /^Place order/ }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('order-line')).toHaveCount(1);
});

test('an admin switches the range and pauses the charts with the keyboard only; Tab goes through the whole dashboard and out', async ({ page }) => {
  const email = uniqueEmail('kb-admin');
  await createUser(email);
  await db().query(`update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role": "admin"}' where email = $1`, [email]);
  // Every Tab stop is checked, and the dashboard has many.
  test.slow();
  await signIn(page, email, /\/admin$/);
  await expect(page.getByTestId('health-score')).toBeVisible({ timeout: 30_000 });

  // The range is a radio group: Tab enters it at the checked one (1 h by default), arrows move and select.
  await tabTo(page, page.getByRole('radio', { name: '1 h' }));
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/range=24h/);
  await expect(page.getByRole('radio', { name: '24 h' })).toBeFocused();
  await expect(page.getByRole('radio', { name: '24 h' })).toBeChecked();
  await expectVisibleFocus(page);

  // One Tab leaves the group (roving tabindex), on to Pause; Space pauses.
  await tabTo(page, page.getByRole('button', { name: 'Pause' }), 'Tab', 3);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('refresh-status')).toContainText('figures frozen');

  // No trap: Tab runs through every control on the page and leaves it (focus back on the skip link
  // or out to the browser), each focus visible. Bounded: a page this size has well under 200 stops.
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const state = await focusState(page);
    if (!state.focused || state.skipLink) {
      expect(seen.size).toBeGreaterThan(5);
      return;
    }
    seen.add(state.what);
    expect(state.indicator, `focus indicator contrast of ${state.what}`).toBeGreaterThanOrEqual(3);
  }
  throw new Error(`Tab did not leave the dashboard in 200 presses (stops seen: ${[...seen].slice(-5).join(', ')})`);
});

test('Tab from the sign-in form reaches every control in order and shows focus on each', async ({ page }) => {
  await page.goto('/sign-in');
  const email = page.getByLabel('Email address');
  await tabTo(page, email);
  await page.keyboard.type(`nobody-${randomUUID().slice(0, 6)}@example.com`);
  await tabTo(page, page.getByLabel('Password', { exact: true }));
  await page.keyboard.type('wrong-password');
  await tabTo(page, page.getByRole('button', { name: 'Sign in' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toBeVisible();
});
