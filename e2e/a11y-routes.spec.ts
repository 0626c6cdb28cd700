import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from './test.ts';
import { A11Y_ROUTES, ROLES, routesOf, type A11yData, type Role } from './a11y-routes.ts';
import { formatFindings, scanPage, type A11yFinding } from './a11y-scan.ts';
import { adjustStock, closeDb, createVendor, db } from './stock-fixtures.ts';
import { createUser, nodeClient, PASSWORD, signIn, uniqueEmail } from './support.ts';
import { TrafficShopper } from './traffic.ts';

// The accessibility check: every route of a11y-routes.ts as every role that can open it, with its
// drawers, dialogs and states open; axe with the WCAG 2.2 A and AA rules; any serious or critical
// violation fails, reported node by node. One browser context and one sign-in per role.

test.afterAll(closeDb);

/** A vendor of its own: three products at two locations, one in stock (5 + 5), one low (1 + 1), one sold out. */
async function arrange(): Promise<A11yData> {
  const vendor = await createVendor({ products: 3, stock: 5 });
  const [, low, out] = vendor.products;
  for (const l of vendor.locations) {
    await adjustStock(low!.id, l.id, -4);
    await adjustStock(out!.id, l.id, -5);
  }
  return { vendor, inStock: vendor.products[0]! };
}

/** A shopper with one placed order and two holds in the cart, one with under a minute left. */
async function arrangeShopper(data: A11yData): Promise<string> {
  const email = uniqueEmail('a11y-shopper');
  await createUser(email);
  const client = nodeClient();
  const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  if (error) throw error;
  const reserve = async (productId: string) => {
    const { data: hold, error: failed } = await client.rpc('reserve_stock', { product_id: productId, quantity: 1, idempotency_key: randomUUID() });
    if (failed) throw failed;
    return (hold as { id: string }).id;
  };
  const first = await reserve(data.inStock.id);
  const { data: order, error: notPlaced } = await client.rpc('checkout', { reservation_ids: [first], idempotency_key: randomUUID() });
  if (notPlaced) throw notPlaced;
  data.orderId = (order as { id: string }).id;
  await reserve(data.inStock.id);
  // Holds taken now last 50 s: the cart shows one in its last minute (amber) as well.
  await db().query('update public.vendors set reservation_ttl_seconds = 50 where id = $1', [data.vendor.vendorId]);
  await reserve(data.vendor.products[1]!.id);
  await client.auth.signOut();
  return email;
}

/** A platform admin, with a little traffic so the charts have something to draw. */
async function arrangeAdmin(data: A11yData): Promise<string> {
  const email = uniqueEmail('a11y-admin');
  await createUser(email);
  const traffic = await TrafficShopper.signIn(email, PASSWORD);
  await traffic.browseAndReserve(data.inStock.id, 2);
  await traffic.flush();
  await db().query(`update auth.users set raw_app_meta_data = raw_app_meta_data || '{"role": "admin"}' where email = $1`, [email]);
  return email;
}

async function signInAs(page: Page, role: Role, data: A11yData): Promise<void> {
  if (role === 'signed out') return;
  if (role === 'vendor') return signIn(page, data.vendor.ownerEmail, /\/inventory/);
  if (role === 'shopper') return signIn(page, await arrangeShopper(data), /\/shop$/);
  return signIn(page, await arrangeAdmin(data), /\/admin$/);
}

test('the route table covers every route of the router', async () => {
  const { readFile } = await import('node:fs/promises');
  const router = await readFile(new URL('../src/app/router.tsx', import.meta.url), 'utf8');
  const paths = [...router.matchAll(/path: '([^']+)'/g)].map((m) => m[1]!.replace(/^\/?/, '/'));
  const covered = A11Y_ROUTES.map((r) => (typeof r.path === 'string' ? r.path : '')).concat(['/shop/p/:productId', '/orders/:orderId', '/inventory/p/:productId', '/invite/:token', '/shop', '/*']);
  const missing = paths.filter((p) => p !== '/p/:productId' && !covered.some((c) => c === p || c.split('?')[0] === p));
  expect(missing, 'routes in src/app/router.tsx with no entry in e2e/a11y-routes.ts').toEqual([]);
});

for (const role of ROLES) {
  test(`every route a ${role} visitor can open passes axe (WCAG 2.2 A/AA), drawers and dialogs open`, async ({ page }) => {
    const routes = routesOf(role);
    // Many pages and states scanned in one context: axe over a whole page takes seconds on a loaded machine.
    // Generous per screen: axe over a whole page took up to 35 s, and a full walk 12 min, on a 2-core machine at load 29.
    test.setTimeout(90_000 + routes.reduce((ms, r) => ms + (r.slow ? 240_000 : 60_000) + 45_000 * (r.states?.length ?? 0), 0));
    const data = await arrange();
    await signInAs(page, role, data);
    const findings: A11yFinding[] = [];
    const scanned: string[] = [];
    for (const route of routes) {
      const path = typeof route.path === 'string' ? route.path : route.path(data);
      await page.goto(path);
      await route.ready(page, data);
      findings.push(...(await scanPage(page, `${role} · ${route.name}`)));
      scanned.push(route.name);
      for (const state of route.states ?? []) {
        await state.open(page, data);
        // A modal makes the rest of the page inert, and the page was scanned already: only the dialog.
        const modal = (await page.getByRole('dialog').count()) > 0;
        findings.push(...(await scanPage(page, `${role} · ${route.name} · ${state.name}`, modal ? '[role="dialog"]' : undefined)));
        scanned.push(`${route.name} · ${state.name}`);
        if (state.leave === 'reload') {
          await page.goto(path);
          await route.ready(page, data);
        } else {
          await page.keyboard.press('Escape');
          await expect(page.getByRole('dialog')).toHaveCount(0);
        }
      }
    }
    test.info().annotations.push({ type: 'scanned', description: scanned.join('; ') });
    console.log(`a11y: ${role}: ${scanned.length} screens scanned, ${findings.length} serious or critical findings`);
    expect(findings, formatFindings(findings)).toEqual([]);
  });
}
