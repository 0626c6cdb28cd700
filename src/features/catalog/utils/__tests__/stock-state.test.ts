import { describe, expect, it } from 'vitest';
import { stockLabel, stockState } from '../stock-state.ts';

describe('stockState', () => {
  it.each([
    [0, 5, 'out-of-stock'],
    [-1, 5, 'out-of-stock'],
    [1, 5, 'low-stock'],
    [5, 5, 'low-stock'],
    [6, 5, 'in-stock'],
    [1, 0, 'in-stock'],
    [0, 0, 'out-of-stock'],
  ] as const)('%i available with threshold %i is %s', (available, threshold, state) => {
    expect(stockState(available, threshold)).toBe(state);
  });
});

describe('stockLabel', () => {
  it.each([
    [12, 5, 'In stock'],
    [5, 5, 'Only 5 left'],
    [1, 5, 'Only 1 left'],
    [0, 5, 'Sold out'],
    [3, 0, 'In stock'],
  ] as const)('%i available with threshold %i reads "%s"', (available, threshold, label) => {
    expect(stockLabel(available, threshold)).toBe(label);
  });
});
