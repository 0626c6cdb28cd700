import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './test.ts';
import { createClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import pg from 'pg';
import WebSocket from 'ws';
import { createUser, env, PASSWORD, uniqueEmail } from './support.ts';
import { TrafficShopper } from './traffic.ts';

// The admin dashboard in Chromium against the real stack: traffic driven here through
// supabase-js (with the SPA's own telemetry pipeline) moves the score and the charts; pause
// freezes them; the range switch redraws them; non-admins are refused, page and RPCs alike;
// recharts stays out of other routes' bundles.

let pool: pg.Pool;
test.beforeAll(() => {
  pool = new pg.Pool({ connectionString: env('E2E_DB_URL'), max: 2 });
});
test.afterAll(async () => pool.end());

/** A vendor of its own with one product stocked with 100 units, and its owner's email. */
async function createShelf(): Promise<{ vendorId: string; productId: string; ownerEmail: string }> {
  const label = randomUUID().slice(0, 8);
  const ownerEmail = uniqueEmail('vendor');
  await createUser(ownerEmail);
  const { rows: [row] } = await pool.query<{ vendor_id: string; location_id: string; product_id: string }>(
    `with vendor as (insert into public.vendors (name) values ($1) returning id),
     member as (insert into public.vendor_members (vendor_id, user_id, role) select vendor.id, u.id, 'owner' from vendor, auth.users u where u.email = $3),
     location as (insert into public.locations (vendor_id, name) select id, 'Depot' from vendor returning id),
     product as (insert into public.products (vendor_id, sku, name, price) select id, 'MON-' || $2, 'Monitor lamp ' || $2, 25 from vendor returning id)
     select (select id from vendor) as vendor_id, (select id from location) as location_id, (select id from product) as product_id`,
    [`Monitoring Goods ${label}`, label, ownerEmail],
  );
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`);
    await client.query(`select public.adjust_stock(product_id => $1, location_id => $2, delta => 100, reason => 'e2e', idempotency_key => $3)`, [row!.product_id, row!.location_id, `e2e-${randomUUID()}`]);
    await client.query('commit');
  } finally {
    client.release();
  }
  return { vendorId: row!.vendor_id, productId: row!.product_id, ownerEmail };
}

/** A new user with app_metadata.role = admin (only the service role, or SQL, can set it). */
async function createAdmin(): Promise<string> {
  const email = uniqueEmail('admin');
  await createUser(email);
  await pool.query(`update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role": "admin"}' where email = $1`, [email]);
  return email;
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

async function openDashboard(page: Page, range: '15m' | '1h' | '24h' = '15m'): Promise<void> {
  await page.goto(`/admin?range=${range}`);
  await expect(page.getByRole('heading', { name: 'Platform health' })).toBeVisible();
  await expect(page.getByTestId('health-score')).toBeVisible();
}

/** The number of calls the score is computed from ("1,204 calls reported"). */
async function callsReported(page: Page): Promise<number> {
  const text = (await page.getByText(/calls reported/).textContent()) ?? '';
  return Number(/([\d,]+) calls reported/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
}

async function shopperWithTraffic(): Promise<{ shopper: TrafficShopper; productId: string }> {
  const { productId } = await createShelf();
  const email = uniqueEmail('traffic');
  await createUser(email);
  return { shopper: await TrafficShopper.signIn(email, PASSWORD), productId };
}

test('the admin sees the score and the charts move while traffic runs', async ({ page }) => {
  const { shopper, productId } = await shopperWithTraffic();
  const missing = `e2e_missing_${randomUUID().slice(0, 8)}`;
  await signIn(page, await createAdmin());
  await expect(page).toHaveURL(/\/admin$/);
  await openDashboard(page);

  await shopper.browseAndReserve(productId, 15);
  await shopper.fail(60, missing);
  await shopper.flush();

  // 45 good calls and 60 failed ones: more than 5 % of the calls failed, whatever else ran meanwhile.
  // The score counts the last 5 minutes of the whole stack, where other specs' calls come and go:
  // wait for these failures to be in, not for a total.
  await expect(page.getByTestId('panel-errors')).toContainText(`rpc:${missing}`, { timeout: 60_000 });
  expect(await callsReported(page)).toBeGreaterThan(0);
  await expect(page.getByTestId('component-errors')).toContainText('Failing');
  await expect(page.getByTestId('health-band')).toHaveText('Failing');
  expect(Number(await page.getByTestId('health-score').textContent())).toBeLessThanOrEqual(49);
  await expect(page.getByText('Capped at 49: a component is failing.')).toBeVisible();

  await expect(page.getByTestId('chart-latency')).toBeVisible();
  await expect(page.getByTestId('headline-throughput')).toHaveText(/^now [\d.]+\/s$/);
  // The ten slowest operations of the whole stack: other specs' calls may rank above these.
  await expect(page.getByTestId('panel-operations').getByRole('row').nth(1)).toContainText(/(rpc|rest|auth|realtime):\w/);
  const errorRow = page.getByTestId('panel-errors').getByRole('row').filter({ hasText: `rpc:${missing}` }).first();
  await expect(errorRow).toContainText('404');
  await expect(errorRow).toContainText('PGRST202');
  await expect(errorRow.getByRole('button', { name: /^Copy request id / })).toBeVisible();
  await expect(page.getByTestId('panel-alerts')).toContainText(/Firing · critical\s*API errors/);
});

test('pause freezes the figures; live picks them up again', async ({ page }) => {
  const { shopper, productId } = await shopperWithTraffic();
  await signIn(page, await createAdmin());
  await openDashboard(page);
  await shopper.browseAndReserve(productId, 2);
  await shopper.flush();
  await expect.poll(() => callsReported(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(6);

  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('refresh-status')).toContainText('figures frozen');
  const frozen = { calls: await callsReported(page), throughput: await page.getByTestId('headline-throughput').textContent() };
  let reads = 0;
  page.on('request', (request) => void (/\/rpc\/admin_(?!clock)/.test(request.url()) && reads++));

  await shopper.browseAndReserve(productId, 5);
  await shopper.flush();
  // Two refresh periods of the 15-minute range (5 s each): a live view would have redrawn twice.
  await page.waitForTimeout(11_000);
  expect(reads).toBe(0);
  expect(await callsReported(page)).toBe(frozen.calls);
  expect(await page.getByTestId('headline-throughput').textContent()).toBe(frozen.throughput);

  await page.getByRole('button', { name: 'Live' }).click();
  // Live again: the figures move (the 5-minute window also drops old calls, so not necessarily up).
  await expect.poll(() => callsReported(page), { timeout: 30_000 }).not.toBe(frozen.calls);
  expect(reads).toBeGreaterThan(0);
});

test('the range switch redraws every chart over 15 minutes, 1 hour or 24 hours, and each downloads as CSV', async ({ page }) => {
  const { shopper, productId } = await shopperWithTraffic();
  await shopper.browseAndReserve(productId, 2);
  await shopper.flush();
  await signIn(page, await createAdmin());
  await openDashboard(page, '1h');
  const latency = page.getByTestId('chart-latency');
  await expect(latency).toHaveAttribute('data-points', '60', { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'API latency · last hour' })).toBeVisible();

  await page.getByRole('radio', { name: '24 h' }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(page.getByRole('heading', { name: 'API latency · last 24 hours' })).toBeVisible();
  await expect(latency).toHaveAttribute('data-points', '24');

  await page.getByRole('radio', { name: '15 min' }).click();
  await expect(page).toHaveURL(/range=15m/);
  await expect(latency).toHaveAttribute('data-points', '15');
  await expect(page.getByRole('radio', { name: '15 min' })).toHaveAttribute('aria-checked', 'true');

  const download = page.waitForEvent('download');
  await page.getByTestId('panel-throughput').getByRole('button', { name: 'Download CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^throughput-15m-.*\.csv$/);
  const lines = (await readFile((await file.path())!, 'utf8')).trim().split(/\r?\n/);
  expect(lines[0]).toBe('step_start,step_end,Calls (perSecond),Errors (perSecond),Rejections (expected) (perSecond),Error rate (ratio)');
  expect(lines).toHaveLength(16);
});

test('the range and refresh controls work from the keyboard, and the dashboard passes axe at desktop and phone widths', async ({ page }) => {
  // axe reads every node of eight charts and five tables, twice: three times the usual time.
  test.slow();
  const { shopper, productId } = await shopperWithTraffic();
  await shopper.browseAndReserve(productId, 1);
  await shopper.flush();
  await signIn(page, await createAdmin());
  await openDashboard(page, '1h');
  await expect(page.getByTestId('chart-latency')).toBeVisible();
  // Charts are drawn as they come into view: scroll past all of them, so axe reads them too.
  for (const slug of ['cache', 'realtime', 'saturation', 'health', 'ledger']) {
    await page.getByTestId(`panel-${slug}`).scrollIntoViewIfNeeded();
    await expect(page.getByTestId(`chart-${slug}`)).toBeVisible({ timeout: 30_000 });
  }

  await page.getByRole('radio', { name: '1 h' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/range=24h/);
  await expect(page.getByRole('radio', { name: '24 h' })).toBeFocused();
  await expect(page.getByTestId('chart-latency')).toHaveAttribute('data-points', '24');
  // Paused, so the page holds still while axe reads it.
  await page.getByRole('button', { name: 'Pause' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'true');

  // recharts colours a legend label like its line; the light series would fail text contrast, so
  // every label has the one text colour (which axe checks) and only the line carries the series'.
  const legendLabels = page.locator('.recharts-legend-item-text > span');
  expect(await legendLabels.count()).toBeGreaterThan(5);
  expect(new Set(await legendLabels.evaluateAll((els) => els.map((el) => el.ownerDocument.defaultView!.getComputedStyle(el).color))).size).toBe(1);

  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  // Nothing wider than a phone: no sideways scrolling of the page itself.
  expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(390);
});

test('vendors and shoppers are refused the dashboard, and their monitoring RPCs are denied', async ({ browser }) => {
  const { ownerEmail } = await createShelf();
  const shopperEmail = uniqueEmail('shopper');
  await createUser(shopperEmail);
  for (const email of [ownerEmail, shopperEmail]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, email);
    await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
    await page.goto('/admin');
    await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
    await expect(page.getByText('This page is for platform admins.')).toBeVisible();
    await expect(page.getByTestId('health-score')).toHaveCount(0);
    await context.close();

    const client = createClient(env('E2E_API_URL'), env('E2E_ANON_KEY'), {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
    });
    const { error: signInError } = await client.auth.signInWithPassword({ email, password: PASSWORD });
    expect(signInError).toBeNull();
    for (const fn of ['admin_health', 'admin_recent_errors', 'admin_top_statements'] as const) {
      const { status, error } = await client.rpc(fn);
      expect(status).toBe(403);
      expect(error).toMatchObject({ code: 'admin_required', message: 'Only platform admins can read monitoring data' });
    }
  }
  const anon = createClient(env('E2E_API_URL'), env('E2E_ANON_KEY'), { realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor } });
  const { status } = await anon.rpc('admin_health');
  expect(status).toBe(401);
});

test('recharts is not in the initial bundle of /shop or /inventory, only loaded on /admin', async ({ browser }) => {
  /** A fresh browser context whose scripts are kept, to look for recharts in them. */
  const watched = async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('response', async (response) => {
      if (response.request().resourceType() === 'script') scripts.push(await response.text().catch(() => ''));
    });
    return { page, context, loadedRecharts: () => scripts.some((source) => source.includes('recharts-wrapper')), scripts };
  };

  const shop = await watched();
  await shop.page.goto('/shop');
  await expect(shop.page.getByRole('heading', { name: 'Shop', level: 1 })).toBeVisible();
  await shop.page.waitForLoadState('networkidle');
  expect(shop.scripts.length).toBeGreaterThan(0);
  expect(shop.loadedRecharts()).toBe(false);
  await shop.context.close();

  const { ownerEmail } = await createShelf();
  const inventory = await watched();
  await signIn(inventory.page, ownerEmail);
  await expect(inventory.page).toHaveURL(/\/inventory/);
  await inventory.page.waitForLoadState('networkidle');
  expect(inventory.loadedRecharts()).toBe(false);
  await inventory.context.close();

  // The check can see recharts: the dashboard loads it.
  const admin = await watched();
  await signIn(admin.page, await createAdmin());
  await openDashboard(admin.page);
  await admin.page.getByTestId('panel-cache').scrollIntoViewIfNeeded();
  await expect(admin.page.getByTestId('chart-cache')).toBeVisible({ timeout: 30_000 });
  await expect.poll(admin.loadedRecharts, { timeout: 15_000 }).toBe(true);
  await admin.context.close();
});
