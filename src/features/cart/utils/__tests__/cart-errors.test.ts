import { describe, expect, it } from 'vitest';
import { cartErrorMessage, isNetworkError, lapsed, mostAvailable, reservationIn } from '../cart-errors.ts';

const err = (code: string, details: string | null = null, hint: string | null = null) => ({ code, message: 'from the API', details, hint });

describe('cartErrorMessage', () => {
  it('says how many are left when stock is short, and when it is gone', () => {
    expect(cartErrorMessage(err('insufficient_stock', 'requested 5, at most 2 available at one location'), 'Trail jacket')).toBe('Only 2 of Trail jacket can be held right now.');
    expect(cartErrorMessage(err('insufficient_stock', 'requested 1, at most 0 available at one location'), 'Trail jacket')).toBe('Trail jacket is sold out: someone else got the last one.');
    expect(cartErrorMessage(err('insufficient_stock', 'requested 1, at most 0 available at one location'))).toBe('This item is sold out: someone else got the last one.');
  });

  it('names the line whose hold ended, was ordered or cannot be extended', () => {
    expect(cartErrorMessage(err('reservation_expired', 'reservation x expired at y'), 'Camp stove')).toBe('The hold on Camp stove expired and its stock went back on sale.');
    expect(cartErrorMessage(err('reservation_not_active', 'reservation x is committed'), 'Camp stove')).toBe('Camp stove is no longer held for you: it was ordered.');
    expect(cartErrorMessage(err('reservation_not_active', 'reservation x is released'), 'Camp stove')).toBe('Camp stove is no longer held for you.');
    // Swept by the expiry job before the checkout got there: the same news as an expired hold.
    expect(cartErrorMessage(err('reservation_not_active', 'reservation x is expired'), 'Camp stove')).toBe('The hold on Camp stove expired and its stock went back on sale.');
    expect(cartErrorMessage(err('extension_limit_reached'), 'Camp stove')).toBe('The hold on Camp stove cannot be extended again. Check out before it runs out.');
  });

  it('explains rate limits, ended sessions and lost connections; passes other messages through', () => {
    expect(cartErrorMessage(err('rate_limited', 'at most 60 stock changes per 60 seconds', 'Retry after 3 seconds.'))).toBe('Too many changes in a short time. Try again in 3 s.');
    expect(cartErrorMessage(err('PGRST303'))).toBe('Your session has ended. Sign in again to keep shopping.');
    expect(cartErrorMessage({ code: '', message: 'TypeError: Failed to fetch' })).toBe('The shop could not be reached. Check your connection and try again.');
    expect(cartErrorMessage(err('invalid_argument'))).toBe('from the API');
  });
});

describe('error details', () => {
  it('reads the figure and the reservation the API names', () => {
    expect(mostAvailable(err('insufficient_stock', 'requested 9, at most 7 available at one location'))).toBe(7);
    expect(mostAvailable(err('insufficient_stock'))).toBeUndefined();
    expect(reservationIn(err('reservation_expired', 'reservation 0b7f3a52-3c1e-4c39-9d0e-6f1f9e2b8a11 expired at 2026-12-02 10:00:00+00'))).toBe('0b7f3a52-3c1e-4c39-9d0e-6f1f9e2b8a11');
    expect(isNetworkError({ code: '', message: 'AbortError: aborted' })).toBe(false);
    expect([err('reservation_expired'), err('reservation_not_active', 'reservation x is expired'), err('reservation_not_active', 'reservation x is committed')].map(lapsed)).toEqual([true, true, false]);
    expect(isNetworkError({ code: '', message: 'TypeError: Failed to fetch' })).toBe(true);
  });
});
