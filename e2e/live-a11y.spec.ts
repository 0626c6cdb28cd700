import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from './test.ts';
import { closeDb, createVendor, db, type TestVendor } from './stock-fixtures.ts';
import { signIn } from './support.ts';

// Live data for people who cannot watch it: a burst of changes is one summarised polite
// announcement, not one per change; with prefers-reduced-motion nothing moves, yet a changed
// figure is still marked.

test.afterAll(closeDb);

const onHand = (page: Page, sku: string, location: string) =>
  page.getByRole('row', { name: new RegExp(`^${sku} `) }).getByRole('button', { name: new RegExp(`^On hand at ${location}:`) });

/** Several adjust_stock calls in one transaction, as the service role: their events arrive together. */
async function adjustMany(changes: Array<{ productId: string; locationId: string; delta: number }>): Promise<void> {
  const client = await db().connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
    for (const c of changes) {
      await client.query(`select public.adjust_stock(product_id => $1, location_id => $2, delta => $3, reason => 'e2e burst', idempotency_key => $4)`, [c.productId, c.locationId, c.delta, `e2e-${randomUUID()}`]);
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}

async function openInventory(page: Page, v: TestVendor): Promise<void> {
  await signIn(page, v.ownerEmail, /\/inventory/);
  await page.goto(`/inventory?q=${v.label}`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
}

/** Records every text the shell's live region takes, with the page's clock. */
async function recordAnnouncements(page: Page): Promise<() => Promise<Array<{ at: number; text: string }>>> {
  await page.evaluate(`(() => {
    const region = document.querySelector('[data-testid="live-announcer"]');
    window.__said = [];
    new MutationObserver(() => window.__said.push({ at: performance.now(), text: region.textContent.replace(/\\u200b/g, '') }))
      .observe(region, { childList: true, characterData: true, subtree: true });
  })()`);
  return () => page.evaluate('window.__said');
}

test('a burst of 6 live stock changes is announced once, as "6 stock levels changed"', async ({ page }) => {
  const v = await createVendor({ products: 3, stock: 5 });
  await openInventory(page, v);
  const said = await recordAnnouncements(page);
  const burst = v.products.flatMap((p) => v.locations.map((l) => ({ productId: p.id, locationId: l.id, delta: 1 })));
  expect(burst).toHaveLength(6);
  await adjustMany(burst);
  for (const p of v.products) for (const l of v.locations) await expect(onHand(page, p.sku, l.name)).toHaveText('6');

  await expect.poll(said, { timeout: 15_000 }).toHaveLength(1);
  expect((await said())[0]!.text).toBe('6 stock levels changed');

  // Changes keep coming: the next summary waits until 5 s after the last one.
  await adjustMany([{ productId: v.products[0]!.id, locationId: v.locations[0]!.id, delta: 1 }]);
  await expect.poll(said, { timeout: 15_000 }).toHaveLength(2);
  const [first, second] = await said();
  expect(second!.text).toBe('1 stock level changed');
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(4_900);
});

test('with prefers-reduced-motion nothing animates or transitions, and a changed figure is still marked', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const v = await createVendor({ products: 1, locations: ['Main warehouse'], stock: 5 });
  const [p] = v.products as [TestVendor['products'][0]];
  await openInventory(page, v);
  const figure = onHand(page, p.sku, 'Main warehouse');
  await expect(figure).toHaveText('5');

  await adjustMany([{ productId: p.id, locationId: v.locations[0]!.id, delta: 2 }]);
  await expect(figure).toHaveText('7');
  // The figure's highlight: shown still (data-changed), not faded in an animation.
  const marked = figure.locator('[data-changed]');
  await expect(marked).toHaveCount(1);
  const motion = await page.evaluate(`(() => {
    const el = document.querySelector('[data-changed]');
    const after = getComputedStyle(el, '::after');
    return { animations: el.getAnimations({ subtree: true }).length, afterOpacity: after.opacity, afterAnimation: after.animationName, afterTransition: after.transitionDuration };
  })()`);
  expect(motion).toEqual({ animations: 0, afterOpacity: '1', afterAnimation: 'none', afterTransition: '0s' });
  // The mark goes away again, without a fade.
  await expect(marked).toHaveCount(0, { timeout: 10_000 });

  // Nothing else on the page moves either: the live badge's ping, the drawer sliding in, buttons' colour transitions.
  await page.getByRole('row', { name: new RegExp(`^${p.sku} `) }).click();
  await expect(page.getByRole('dialog', { name: p.name })).toBeVisible();
  const moving = await page.evaluate(`(() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
      const s = getComputedStyle(el);
      if (s.animationName !== 'none' || (s.transitionDuration.split(',').some((d) => parseFloat(d) > 0) && s.transitionProperty !== 'none'))
        found.push(el.tagName.toLowerCase() + '.' + String(el.className).slice(0, 60) + ' ' + s.animationName + ' ' + s.transitionDuration);
    }
    return found.concat(document.getAnimations().map((a) => 'running animation ' + a.animationName));
  })()`);
  expect(moving).toEqual([]);
});
