import { chromium } from '@playwright/test';
import startE2e from '../e2e/global-setup.ts';
import { SYSTEM_CHROMIUM, useSystemChromium } from '../e2e/browser.ts';
import { createShelf, createShopper, watchVendorFeed } from '../e2e/shop-fixtures.ts';
import { adjustStock, closeDb } from '../e2e/stock-fixtures.ts';
import { PASSWORD } from '../e2e/support.ts';
import { emit, percentile, progress } from './harness.ts';

// Time from a shopper's click on "Add to cart" (real Chromium, the built SPA) to the vendor's
// private stock feed showing the units reserved (a supabase-js client in this process, as the
// inventory grid would be); also to the reserve_stock response, and to the product page saying
// how many the shopper holds (after the cart is read again). One JSON line per figure.
//
// BENCH_COUNT (default 20) tries, bounded by BENCH_MAX_SECONDS (default 90).

const count = Number(process.env.BENCH_COUNT ?? 20);
const maxSeconds = Number(process.env.BENCH_MAX_SECONDS ?? 90);

function summary(name: string, values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  emit({ bench: name, count: sorted.length, p50_ms: Math.round(percentile(sorted, 50)), p95_ms: Math.round(percentile(sorted, 95)), max_ms: Math.round(sorted.at(-1) ?? NaN) });
}

progress('starting a stack and serving the built SPA');
const stop = await startE2e();
const browser = await chromium.launch(useSystemChromium ? { executablePath: SYSTEM_CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] } : {});
try {
  const shelf = await createShelf({ names: ['Bench lantern'] });
  const lantern = shelf.products[0]!;
  await adjustStock(lantern.id, shelf.locationId, count + 10);
  const shopper = await createShopper('bench');
  const feed = await watchVendorFeed(shelf);

  const page = await browser.newPage({ baseURL: process.env.E2E_BASE_URL });
  // The click's time, taken in the page as the click happens (the browser and this process read
  // the same wall clock): Playwright's own work before the click does not count.
  await page.addInitScript({ content: `document.addEventListener('click', () => { globalThis.__clickedAt = Date.now(); }, true);` });
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(shopper.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/shop$/);
  await page.goto(`/shop/p/${lantern.id}`);
  await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();

  const toFeed: number[] = [];
  const toResponse: number[] = [];
  const toHeldShown: number[] = [];
  const button = page.getByRole('button', { name: 'Add to cart' });
  const deadline = Date.now() + maxSeconds * 1000;
  for (let i = 0; i < count && Date.now() < deadline; i++) {
    const reservedBefore = feed.of(lantern.id).at(-1)?.reserved ?? 0;
    const seen = feed.of(lantern.id).length;
    const response = page.waitForResponse((r) => r.url().endsWith('/rest/v1/rpc/reserve_stock'));
    await button.click();
    const clickedAt = (await page.evaluate('globalThis.__clickedAt')) as number;
    await response;
    toResponse.push(Date.now() - clickedAt);
    for (;;) {
      const event = feed.of(lantern.id).slice(seen).find((l) => l.reserved > reservedBefore);
      if (event) {
        toFeed.push(event.receivedAt - clickedAt);
        break;
      }
      if (Date.now() > deadline) throw new Error('the vendor feed did not show the reservation');
      await new Promise((r) => setTimeout(r, 5));
    }
    await page.getByText(`You hold ${i + 1} in your`).waitFor();
    toHeldShown.push(Date.now() - clickedAt);
    progress(`try ${i + 1}: response ${toResponse.at(-1)} ms, vendor feed ${toFeed.at(-1)} ms, held shown ${toHeldShown.at(-1)} ms`);
  }
  summary('add_to_cart_click_to_vendor_feed', toFeed);
  summary('add_to_cart_click_to_reserve_response', toResponse);
  summary('add_to_cart_click_to_held_shown', toHeldShown);
  await feed.close();
} finally {
  await browser.close();
  await closeDb();
  await stop();
}
