import Papa from 'papaparse';
import type { Location, StockSnapshot } from '../api/stock-snapshot.ts';

export const EXPORT_COLUMNS = ['SKU', 'Product', 'Location', 'On hand', 'Reserved', 'Available'] as const;

/**
 * The grid's rows as CSV, one line per product and location in scope (Shopify's inventory export
 * as the model). Cells that a spreadsheet would run as a formula are escaped.
 */
export function exportCsv(snapshot: StockSnapshot, ids: readonly string[], scope: readonly Location[]): string {
  const rows: Array<Array<string | number>> = [];
  for (const id of ids) {
    const product = snapshot.products[id];
    if (!product) continue;
    for (const location of scope) {
      const level = product.levels[location.id];
      rows.push([product.sku, product.name, location.name, level?.on_hand ?? 0, level?.reserved ?? 0, level?.available ?? 0]);
    }
  }
  return Papa.unparse({ fields: [...EXPORT_COLUMNS], data: rows }, { escapeFormulae: true, newline: '\r\n' });
}

export type ImportFlag = 'unknown-sku' | 'unknown-location' | 'invalid-count' | 'duplicate' | 'inactive';

export interface ImportRow {
  /** 1-based line in the file, the header being line 1. */
  line: number;
  sku: string;
  locationName: string;
  count: string;
  productId?: string;
  productName?: string;
  locationId?: string;
  /** On hand and version when previewed; the count is compared with that version. */
  current?: { onHand: number; version: number };
  next?: number;
  flags: ImportFlag[];
  status: 'change' | 'unchanged' | 'error';
}

export interface ImportPlan {
  rows: ImportRow[];
  /** A problem with the whole file (no rows, missing columns). */
  fileError?: string;
}

const normalise = (header: string) => header.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
const HEADERS = { sku: ['sku'], location: ['location', 'location name'], count: ['on hand', 'onhand', 'count', 'quantity', 'qty'] };

/** Parses a cycle-count CSV (SKU, Location, On hand; our own export works too) and plans each row against the snapshot. */
export function planImport(text: string, snapshot: StockSnapshot): ImportPlan {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: normalise });
  const fields = parsed.meta.fields ?? [];
  const find = (names: string[]) => fields.find((f) => names.includes(f));
  const columns = { sku: find(HEADERS.sku), location: find(HEADERS.location), count: find(HEADERS.count) };
  const missing = Object.entries(columns)
    .filter(([, v]) => !v)
    .map(([k]) => ({ sku: 'SKU', location: 'Location', count: 'On hand' })[k as 'sku']);
  if (missing.length > 0) return { rows: [], fileError: `The file needs the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (a header row first).` };
  if (parsed.data.length === 0) return { rows: [], fileError: 'The file has a header but no rows.' };

  const bySku = new Map(Object.values(snapshot.products).map((p) => [p.sku, p]));
  const bySkuLower = new Map(Object.values(snapshot.products).map((p) => [p.sku.toLowerCase(), p]));
  const byLocation = new Map(snapshot.locations.map((l) => [l.name.trim().toLowerCase(), l]));
  const seen = new Set<string>();

  const rows = parsed.data.map((record, index): ImportRow => {
    const sku = (record[columns.sku!] ?? '').trim();
    const locationName = (record[columns.location!] ?? '').trim();
    const count = (record[columns.count!] ?? '').trim();
    const product = bySku.get(sku) ?? bySkuLower.get(sku.toLowerCase());
    const location = byLocation.get(locationName.toLowerCase());
    const flags: ImportFlag[] = [];
    if (!product) flags.push('unknown-sku');
    if (!location) flags.push('unknown-location');
    const next = /^\d{1,9}$/.test(count) ? Number(count) : undefined;
    if (next === undefined) flags.push('invalid-count');
    if (product && location) {
      const key = `${product.id}:${location.id}`;
      if (seen.has(key)) flags.push('duplicate');
      seen.add(key);
    }
    if (product && !product.active) flags.push('inactive');
    const level = product && location ? product.levels[location.id] : undefined;
    const current = product && location ? { onHand: level?.on_hand ?? 0, version: level?.version ?? 0 } : undefined;
    const blocking = flags.some((f) => f !== 'inactive');
    const row: ImportRow = { line: index + 2, sku, locationName, count, flags, status: blocking ? 'error' : current && next === current.onHand ? 'unchanged' : 'change' };
    if (product) Object.assign(row, { productId: product.id, productName: product.name });
    if (location) row.locationId = location.id;
    if (current) row.current = current;
    if (next !== undefined) row.next = next;
    return row;
  });
  return { rows };
}

export const flagText: Record<ImportFlag, string> = {
  'unknown-sku': 'Unknown SKU',
  'unknown-location': 'Unknown location',
  'invalid-count': 'Count must be a whole number, 0 or more',
  duplicate: 'Same SKU and location as an earlier line',
  inactive: 'Inactive product',
};
