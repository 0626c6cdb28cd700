import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { StockSnapshot } from '../../api/stock-snapshot.ts';
import { exportCsv, planImport } from '../inventory-csv.ts';

const level = (on_hand: number, reserved: number, version: number) => ({ location_id: '', on_hand, reserved, available: on_hand - reserved, version, updated_at: '2026-12-01T10:00:00Z' });

function snapshot(): StockSnapshot {
  const base = { description: '', price: 10, low_stock_threshold: 5, active: true, updated_at: '2026-12-01T10:00:00Z' };
  return {
    locations: [
      { id: 'l1', name: 'Main warehouse' },
      { id: 'l2', name: 'Downtown store' },
    ],
    ids: ['p1', 'p2', 'p3'],
    products: {
      p1: { ...base, id: 'p1', sku: 'NW-001', name: 'Trail jacket', levels: { l1: level(12, 3, 7), l2: level(4, 0, 2) } },
      p2: { ...base, id: 'p2', sku: 'NW-002', name: '=HYPERLINK("x")', levels: { l1: level(0, 0, 1) } },
      p3: { ...base, id: 'p3', sku: 'NW-003', name: 'Old lantern', active: false, levels: {} },
    },
  };
}

describe('CSV export', () => {
  it('writes one row per product and location in scope, with formulas escaped', () => {
    const csv = exportCsv(snapshot(), ['p1', 'p2'], snapshot().locations);
    const rows = Papa.parse<string[]>(csv).data;
    expect(rows).toEqual([
      ['SKU', 'Product', 'Location', 'On hand', 'Reserved', 'Available'],
      ['NW-001', 'Trail jacket', 'Main warehouse', '12', '3', '9'],
      ['NW-001', 'Trail jacket', 'Downtown store', '4', '0', '4'],
      ['NW-002', `'=HYPERLINK("x")`, 'Main warehouse', '0', '0', '0'],
      ['NW-002', `'=HYPERLINK("x")`, 'Downtown store', '0', '0', '0'],
    ]);
  });
});

describe('CSV import plan', () => {
  it('compares each count with the level and version it would replace, and flags what cannot apply', () => {
    const csv = [
      'sku,location,on hand',
      'NW-001,Main warehouse,15',
      'nw-001 , downtown store ,4',
      'NW-009,Main warehouse,2',
      'NW-002,Attic,2',
      'NW-002,Main warehouse,-1',
      'NW-001,Main warehouse,16',
      'NW-003,Downtown store,5',
      '',
    ].join('\n');
    const { rows, fileError } = planImport(csv, snapshot());
    expect(fileError).toBeUndefined();
    expect(rows.map((r) => ({ line: r.line, status: r.status, flags: r.flags, current: r.current, next: r.next }))).toEqual([
      { line: 2, status: 'change', flags: [], current: { onHand: 12, version: 7 }, next: 15 },
      { line: 3, status: 'unchanged', flags: [], current: { onHand: 4, version: 2 }, next: 4 },
      { line: 4, status: 'error', flags: ['unknown-sku'], current: undefined, next: 2 },
      { line: 5, status: 'error', flags: ['unknown-location'], current: undefined, next: 2 },
      { line: 6, status: 'error', flags: ['invalid-count'], current: { onHand: 0, version: 1 }, next: undefined },
      { line: 7, status: 'error', flags: ['duplicate'], current: { onHand: 12, version: 7 }, next: 16 },
      { line: 8, status: 'change', flags: ['inactive'], current: { onHand: 0, version: 0 }, next: 5 },
    ]);
  });

  it('reads its own export back as a plan that changes nothing', () => {
    const s = snapshot();
    const { rows } = planImport(exportCsv(s, s.ids, s.locations), s);
    expect(rows.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(rows.map((r) => r.flags)).toEqual([[], [], [], [], ['inactive'], ['inactive']]);
  });

  it('says which columns a file lacks, or that it has no rows', () => {
    expect(planImport('sku,qty\nNW-001,3', snapshot()).fileError).toBe('The file needs the column Location (a header row first).');
    expect(planImport('SKU,Location,On hand\n', snapshot()).fileError).toBe('The file has a header but no rows.');
  });
});
