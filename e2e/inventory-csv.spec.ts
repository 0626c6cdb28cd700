import { readFile } from 'node:fs/promises';
import { expect, test } from './test.ts';
import Papa from 'papaparse';
import { adjustStock, closeDb, createVendor, db, movementsOf, type TestVendor } from './stock-fixtures.ts';
import { signIn } from './support.ts';

// CSV in and out of the vendor workspace, in Chromium against the stack: the export equals the
// grid (and the database), and a count import previews, applies, re-applies as a no-op, and
// reports a row that changed since the preview as a conflict.

test.afterAll(closeDb);

async function levels(v: TestVendor) {
  const { rows } = await db().query<{ sku: string; location: string; on_hand: number; reserved: number; available: number }>(
    `select p.sku, l.name as location, coalesce(il.on_hand, 0) as on_hand, coalesce(il.reserved, 0) as reserved, coalesce(il.available, 0) as available
     from public.products p cross join public.locations l
     left join public.inventory_levels il on il.product_id = p.id and il.location_id = l.id
     where p.vendor_id = $1 and l.vendor_id = $1 order by p.sku, l.name`,
    [v.vendorId],
  );
  return rows;
}

test('the CSV export holds one row per product and location, equal to the grid and the database', async ({ page }) => {
  const v = await createVendor({ products: 3, stock: 4 });
  await adjustStock(v.products[1]!.id, v.locations[0]!.id, 5);
  await signIn(page, v.ownerEmail, /\/inventory/);
  await page.goto(`/inventory?q=${v.label}`);
  await expect(page.getByText('3 products', { exact: true })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^e2e-vendor-[0-9a-f]{8}-inventory-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
  expect(rows).toEqual(
    (await levels(v)).map((l) => ({
      SKU: l.sku,
      Product: v.products.find((p) => p.sku === l.sku)!.name,
      Location: l.location,
      'On hand': String(l.on_hand),
      Reserved: String(l.reserved),
      Available: String(l.available),
    })),
  );
  // The grid shows the same figures.
  for (const r of rows) {
    await expect(page.getByRole('row', { name: new RegExp(`^${r.SKU} `) }).getByRole('button', { name: new RegExp(`^On hand at ${r.Location}:`) })).toHaveText(r['On hand']!);
  }
});

test('a count import previews every change, applies it, changes nothing when run again, and reports a conflict', async ({ page }) => {
  const v = await createVendor({ products: 3, stock: 10 });
  const [p1, p2, p3] = v.products as [TestVendor['products'][0], TestVendor['products'][0], TestVendor['products'][0]];
  await signIn(page, v.ownerEmail, /\/inventory/);
  await page.goto(`/inventory?q=${v.label}`);
  await expect(page.getByTestId('live-status')).toHaveText('Live');
  const file = (text: string) => ({ name: 'count.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  const count = [
    'SKU,Location,On hand',
    `${p1.sku},Main warehouse,12`,
    `${p2.sku},Corner shop,10`,
    `${p3.sku},Main warehouse,0`,
    `NOPE-1,Main warehouse,3`,
    `${p1.sku},Attic,3`,
  ].join('\n');

  const importFile = async (text: string) => {
    await page.getByRole('button', { name: 'Import count' }).click();
    await page.getByLabel('CSV file with the counts').setInputFiles(file(text));
    return page.getByRole('dialog', { name: 'Import a stock count' });
  };

  let dialog = await importFile(count);
  await expect(dialog.getByRole('status').first()).toHaveText('count.csv: 2 to change, 1 unchanged, 2 with problems.');
  await expect(dialog.locator('tr[data-line="2"]')).toContainText('10 → 12');
  await expect(dialog.locator('tr[data-line="3"]')).toContainText('No change');
  await expect(dialog.locator('tr[data-line="5"]')).toContainText('Unknown SKU');
  await expect(dialog.locator('tr[data-line="6"]')).toContainText('Unknown location');
  await dialog.getByRole('button', { name: 'Apply 2 counts' }).click();
  await expect(dialog.getByTestId('import-summary')).toHaveText('2 applied · 1 unchanged · 2 skipped');
  await expect(dialog.locator('tr[data-line="2"]')).toContainText('Applied · on hand 12');
  await dialog.getByRole('button', { name: 'Done' }).click();
  const onHand = (sku: string, location: string) => page.getByRole('row', { name: new RegExp(`^${sku} `) }).getByRole('button', { name: new RegExp(`^On hand at ${location}:`) });
  await expect(onHand(p1.sku, 'Main warehouse')).toHaveText('12');
  await expect(onHand(p3.sku, 'Main warehouse')).toHaveText('0');
  const ledgerAfterFirst = (await Promise.all([p1, p2, p3].map((p) => movementsOf(p.id)))).flat().length;

  // The same file again: every row is now unchanged, nothing is sent.
  dialog = await importFile(count);
  await expect(dialog.getByRole('status').first()).toHaveText('count.csv: 0 to change, 3 unchanged, 2 with problems.');
  await expect(dialog.getByRole('button', { name: 'Nothing to apply' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Close' }).click();
  expect((await Promise.all([p1, p2, p3].map((p) => movementsOf(p.id)))).flat().length).toBe(ledgerAfterFirst);

  // A level that changes between the preview and the apply is a conflict, not an overwrite.
  dialog = await importFile(['SKU,Location,On hand', `${p1.sku},Corner shop,20`, `${p2.sku},Corner shop,21`].join('\n'));
  await expect(dialog.getByRole('status').first()).toHaveText('count.csv: 2 to change, 0 unchanged, 0 with problems.');
  await adjustStock(p2.id, v.locations.find((l) => l.name === 'Corner shop')!.id, 1);
  await dialog.getByRole('button', { name: 'Apply 2 counts' }).click();
  await expect(dialog.getByTestId('import-summary')).toHaveText('1 applied · 1 conflict');
  await expect(dialog.locator('tr[data-line="3"]')).toContainText('Conflict · Changed since the preview');
  const after = await levels(v);
  expect(after.find((l) => l.sku === p1.sku && l.location === 'Corner shop')!.on_hand).toBe(20);
  expect(after.find((l) => l.sku === p2.sku && l.location === 'Corner shop')!.on_hand).toBe(11);
});
