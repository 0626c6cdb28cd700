import { describe, expect, it } from 'vitest';
import { stockState } from '../stock-state.ts';

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
