import { describe, expect, it } from 'vitest';
import { isNetworkError, stockErrorMessage } from '../stock-error-message.ts';

describe('stockErrorMessage', () => {
  it('explains insufficient stock with the reserved figure from either RPC', () => {
    expect(stockErrorMessage({ code: 'insufficient_stock', details: 'on_hand 20, reserved 12, delta -10' }).description).toBe(
      '12 units are reserved by shoppers; on hand cannot go below 12.',
    );
    expect(stockErrorMessage({ code: 'insufficient_stock', details: 'on_hand 0 requested, reserved 1' }).description).toBe(
      '1 unit is reserved by shoppers; on hand cannot go below 1.',
    );
  });

  it('says when to retry after a rate limit, from the hint', () => {
    expect(stockErrorMessage({ code: 'rate_limited', hint: 'Retry after 7 seconds.' })).toEqual({
      title: 'Too many changes at once',
      description: 'Wait 7 seconds and try again.',
      retryAfter: 7,
    });
  });

  it('has a specific message for every code a stock change can meet', () => {
    const codes = ['version_conflict', 'forbidden', '42501', 'not_authenticated', 'product_not_found', 'location_not_found', 'invalid_quantity', 'invalid_argument', 'idempotency_key_reused', 'idempotency_key_required', 'idempotency_key_invalid'];
    const generic = stockErrorMessage({ code: 'something_else', message: 'x' }).title;
    for (const code of codes) expect(stockErrorMessage({ code, message: 'm', details: 'd' }).title, code).not.toBe(generic);
  });

  it('treats fetch failures as network errors, where retrying is safe', () => {
    expect(isNetworkError(new TypeError('Failed to fetch'))).toBe(true);
    expect(isNetworkError({ message: 'TypeError: fetch failed' })).toBe(true);
    expect(isNetworkError({ code: 'version_conflict', message: 'The stock level changed since you read it' })).toBe(false);
    expect(stockErrorMessage(new TypeError('Failed to fetch')).title).toBe('Could not reach the server');
  });
});
