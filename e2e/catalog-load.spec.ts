import { expect, test, type Page } from './test.ts';
import { createShelf } from './shop-fixtures.ts';
import { adjustStock, closeDb, db } from './stock-fixtures.ts';
import { routeRealtime } from './support.ts';

// How the shop loads: how many times it reads the catalog, and that thousands of products scroll
// without thousands of cards in the page.

test.afterAll(closeDb);

/**
 * Reads of the catalog: each read is one request for its first page (offset=0), then one per
 * further page of 1000. Failed requests (aborted ones included) are counted apart.
 */
function watchCatalogReads(page: Page) {
  const reads: string[] = [];
  const failed: string[] = [];
  let pending = 0;
  const isCatalog = (url: string) => url.includes('/rest/v1/product_availability');
  page.on('request', (request) => {
    if (!isCatalog(request.url())) return;
    pending += 1;
    if (new URL(request.url()).searchParams.get('offset') === '0') reads.push(request.url());
  });
  page.on('requestfinished', (request) => void (isCatalog(request.url()) && (pending -= 1)));
  page.on('requestfailed', (request) => {
    if (!isCatalog(request.url())) return;
    pending -= 1;
    failed.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  return { reads: () => reads.length, failed: () => failed, pending: () => pending };
}

/** Waits for the page to be live with no catalog request in flight, then a moment more, so a stray read would show. */
async function settled(page: Page, wire: ReturnType<typeof watchCatalogReads>) {
  await expect(page.getByTestId('live-status')).toHaveText('Live', { timeout: 20_000 });
  await expect.poll(wire.pending).toBe(0);
  // Longer than the snapshot gate's fallback (5 s), which a slow channel could trigger.
  await page.waitForTimeout(5500);
  await expect.poll(wire.pending).toBe(0);
}

test('the shop reads the catalog once to find the vendors and once after all their channels joined; a reconnect reads it once more', async ({ page }) => {
  // A few more vendors, so that a read per channel would show.
  for (let i = 0; i < 3; i++) {
    const shelf = await createShelf();
    await adjustStock(shelf.products[0]!.id, shelf.locationId, 3);
  }
  const { rows } = await db().query<{ n: number }>('select count(distinct vendor_id)::int as n from public.product_availability');
  expect(rows[0]!.n).toBeGreaterThanOrEqual(4);
  const realtime = await routeRealtime(page);
  const wire = watchCatalogReads(page);

  await page.goto('/shop');
  await expect(page.getByRole('heading', { level: 1, name: 'Shop' })).toBeVisible();
  await settled(page, wire);
  expect(wire.reads()).toBe(2);
  expect(wire.failed()).toEqual([]);

  // Every channel drops and rejoins: one more read for all of them together, not one per channel.
  // (With many vendors some channels can rejoin after the gate's fallback: then a second read,
  // which supersedes the first, may follow; never one per channel.)
  await realtime.drop();
  await expect(page.getByTestId('live-status')).toHaveText('Reconnecting');
  realtime.restore();
  await settled(page, wire);
  expect(wire.reads() - 2).toBeGreaterThanOrEqual(1);
  expect(wire.reads() - 2).toBeLessThanOrEqual(2);
});

test('thousands of products scroll with only the visible cards in the page', async ({ page }) => {
  const count = 3000;
  const shelf = await createShelf({ names: ['Seed packet'] });
  await db().query(
    `insert into public.products (vendor_id, sku, name, price)
     select $1, 'BULK-' || $2 || '-' || n, 'Bulk item ' || lpad(n::text, 4, '0'), 1 + n % 50
     from generate_series(1, $3::int - 1) n`,
    [shelf.vendorId, shelf.label, count],
  );
  try {
    // Browser code as text: this file is compiled without the DOM's types.
    await page.addInitScript({
      content: `globalThis.__longTasks = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => globalThis.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });`,
    });
    const started = Date.now();
    await page.goto(`/shop?vendor=${shelf.vendorId}`);
    await expect(page.getByRole('article').first()).toBeVisible({ timeout: 20_000 });
    const firstCardMs = Date.now() - started;
    await expect(page.getByText(`${count.toLocaleString('en-US')} products`)).toBeVisible();
    const rendered = await page.getByRole('article').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(120);

    // Scrolled to the end, the last product is there, and still only a window of cards.
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    await expect(page.getByRole('article', { name: 'Bulk item 2999' })).toBeVisible();
    expect(await page.getByRole('article').count()).toBeLessThan(120);
    const longTasks = (await page.evaluate('globalThis.__longTasks')) as number[];
    console.log(JSON.stringify({ figure: 'shop_load', products: count, first_card_ms: firstCardMs, cards_in_dom: rendered, long_tasks: longTasks.length, longest_task_ms: Math.round(Math.max(0, ...longTasks)) }));
  } finally {
    // Other specs read the whole catalog too: leave it small for them.
    await db().query('update public.products set active = false where vendor_id = $1', [shelf.vendorId]);
  }
});
