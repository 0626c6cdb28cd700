import { describe, expect, it } from 'vitest';
import {
  alreadyRead,
  applyAvailability,
  formatHoldTime,
  groupByVendor,
  heldCount,
  keepNewerAvailability,
  holdState,
  maxQuantity,
  nextDeadline,
  parseReservationEvent,
  toCartLine,
  type CartLine,
  type CartLineRow,
} from '../cart-lines.ts';

const NOW = Date.parse('2026-12-02T10:00:00Z');

function row(overrides: Partial<CartLineRow> = {}): CartLineRow {
  return {
    reservation_id: 'r1', vendor_id: 'v1', vendor_name: 'Northwind', product_id: 'p1', product_name: 'Trail jacket', sku: 'NW-1',
    unit_price: 10, quantity: 1, status: 'active', expires_at: '2026-12-02T10:05:00Z', created_at: '2026-12-02T09:55:00Z', version: 1,
    extensions_left: 2, hold_seconds: 600, for_sale: true, available: 4, availability_version: 3, low_stock_threshold: 5,
    server_time: '2026-12-02T10:00:00Z', ...overrides,
  };
}

const line = (overrides: Partial<CartLineRow> & { msLeft?: number } = {}): CartLine => {
  const { msLeft = 300_000, ...rest } = overrides;
  return { ...row(rest), deadline: NOW + msLeft };
};

describe('toCartLine', () => {
  it("counts down on the server's clock: a device 90 s fast still ends the hold when the server does", () => {
    const receivedAt = Date.parse('2026-12-02T10:01:30Z');
    const l = toCartLine(row(), receivedAt);
    expect(l.deadline - receivedAt).toBe(300_000);
    expect(toCartLine(row(), Date.parse('2026-12-02T10:00:00Z')).deadline).toBe(Date.parse('2026-12-02T10:05:00Z'));
  });
});

describe('holdState', () => {
  it.each([
    [300_000, 'active', 'held'],
    [60_000, 'active', 'held'],
    [59_999, 'active', 'ending'],
    [1, 'active', 'ending'],
    [0, 'active', 'expired'],
    [-5_000, 'active', 'expired'],
    [300_000, 'expired', 'expired'],
  ] as const)('%i ms left, status %s: %s', (msLeft, status, state) => {
    expect(holdState(line({ msLeft, status }), NOW)).toBe(state);
  });
});

describe('heldCount and nextDeadline', () => {
  it('count the units of holds still running; the next deadline is the soonest ahead', () => {
    const lines = [line({ quantity: 2, msLeft: 30_000 }), line({ quantity: 3, msLeft: 90_000 }), line({ quantity: 7, msLeft: -1 }), line({ quantity: 4, status: 'expired' })];
    expect(heldCount(lines, NOW)).toBe(5);
    expect(nextDeadline(lines, NOW)).toBe(NOW + 30_000);
    expect(heldCount(lines, NOW + 30_000)).toBe(3);
    expect(nextDeadline(lines, NOW + 30_000)).toBe(NOW + 90_000);
    expect(nextDeadline(lines, NOW + 90_000)).toBeUndefined();
    expect(heldCount([], NOW)).toBe(0);
  });
});

describe('groupByVendor', () => {
  it('groups in server order and totals only what is still held', () => {
    const lines = [
      line({ reservation_id: 'a', vendor_id: 'h', vendor_name: 'Harbor', quantity: 2, unit_price: 19.99 }),
      line({ reservation_id: 'b', vendor_id: 'h', vendor_name: 'Harbor', quantity: 1, unit_price: 0.1, msLeft: -1 }),
      line({ reservation_id: 'c', vendor_id: 'n', vendor_name: 'Northwind', quantity: 3, unit_price: 0.1 }),
      line({ reservation_id: 'd', vendor_id: 'h', vendor_name: 'Harbor', quantity: 1, unit_price: 0.2 }),
    ];
    const groups = groupByVendor(lines, NOW);
    expect(groups.map((g) => [g.vendorName, g.lines.map((l) => l.reservation_id), g.held.map((l) => l.reservation_id), g.itemCount, g.subtotal])).toEqual([
      ['Harbor', ['a', 'b', 'd'], ['a', 'd'], 3, 40.18],
      ['Northwind', ['c'], ['c'], 3, 0.3],
    ]);
  });

  it('keeps a vendor whose every line lapsed, with nothing to check out', () => {
    const [group] = groupByVendor([line({ msLeft: -1 })], NOW);
    expect(group).toMatchObject({ held: [], itemCount: 0, subtotal: 0 });
    expect(group!.lines).toHaveLength(1);
  });
});

describe('maxQuantity', () => {
  it('is what the line holds plus what is available now', () => {
    expect(maxQuantity({ quantity: 2, available: 3 })).toBe(5);
    expect(maxQuantity({ quantity: 2, available: 0 })).toBe(2);
    expect(maxQuantity({ quantity: 2, available: -1 })).toBe(2);
  });
});

describe('live events', () => {
  it('apply a newer availability to every line of the product, and keep the array when nothing is newer', () => {
    const lines = [line({ reservation_id: 'a', product_id: 'p1', availability_version: 3 }), line({ reservation_id: 'b', product_id: 'p2' })];
    const next = applyAvailability(lines, { product_id: 'p1', available: 9, version: 4 });
    expect(next.map((l) => [l.reservation_id, l.available, l.availability_version])).toEqual([['a', 9, 4], ['b', 4, 3]]);
    expect(next[1]).toBe(lines[1]);
    expect(applyAvailability(lines, { product_id: 'p1', available: 0, version: 3 })).toBe(lines);
    expect(applyAvailability(lines, { product_id: 'p9', available: 0, version: 99 })).toBe(lines);
  });

  it("tell a reservation change already read back from one the cart has not seen", () => {
    const lines = [line({ reservation_id: 'a', version: 3 })];
    expect(parseReservationEvent({ id: 'a', version: 3, status: 'active' })).toEqual({ id: 'a', version: 3 });
    expect(parseReservationEvent({ id: 'a' })).toBeUndefined();
    expect(parseReservationEvent(null)).toBeUndefined();
    expect(alreadyRead(lines, { id: 'a', version: 3 })).toBe(true);
    expect(alreadyRead(lines, { id: 'a', version: 4 })).toBe(false);
    expect(alreadyRead(lines, { id: 'b', version: 1 })).toBe(false);
    expect(alreadyRead(undefined, { id: 'a', version: 1 })).toBe(false);
  });
});

describe('formatHoldTime', () => {
  it.each([
    [600, '10 min'],
    [90, '1 min 30 s'],
    [45, '45 s'],
    [3600, '60 min'],
  ])('%i s reads "%s"', (seconds, text) => expect(formatHoldTime(seconds)).toBe(text));
});

describe('keepNewerAvailability', () => {
  it('keeps a newer availability the cache got from an event while the read was under way', () => {
    const cached = [line({ reservation_id: 'a', product_id: 'p1', available: 9, availability_version: 7 }), line({ reservation_id: 'b', product_id: 'p2', available: 1, availability_version: 2 })];
    const read = [
      line({ reservation_id: 'a', product_id: 'p1', available: 4, availability_version: 6 }),
      line({ reservation_id: 'c', product_id: 'p1', available: 4, availability_version: 6 }),
      line({ reservation_id: 'b', product_id: 'p2', available: 3, availability_version: 5 }),
    ];
    expect(keepNewerAvailability(cached, read).map((l) => [l.reservation_id, l.available, l.availability_version])).toEqual([
      ['a', 9, 7],
      ['c', 9, 7],
      ['b', 3, 5],
    ]);
    expect(keepNewerAvailability(undefined, read)).toBe(read);
  });
});
