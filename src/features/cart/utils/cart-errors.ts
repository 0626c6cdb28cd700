/** What the RPCs answer when they fail (PostgREST's error body; code '' when the request never got an answer). */
export interface ApiErrorLike {
  code?: string | undefined;
  message: string;
  details?: string | null | undefined;
  hint?: string | null | undefined;
}

export const isNetworkError = (error: ApiErrorLike) => !error.code && !/AbortError/.test(error.message);

/** "requested 5, at most 2 available at one location" → 2. */
export function mostAvailable(error: ApiErrorLike): number | undefined {
  const match = /at most (\d+) available/.exec(error.details ?? '');
  return match ? Number(match[1]) : undefined;
}

/** "reservation <uuid> expired at ..." / "reservation <uuid> is released" → the uuid. */
export function reservationIn(error: ApiErrorLike): string | undefined {
  return /reservation ([0-9a-f-]{36})/.exec(error.details ?? '')?.[1];
}

/** The hold ran out: past its time (`reservation_expired`), or already marked expired by the sweeper. */
export const lapsed = (error: ApiErrorLike) =>
  error.code === 'reservation_expired' || (error.code === 'reservation_not_active' && / is expired$/.test(error.details ?? ''));

/** What the shopper reads when a cart action fails; `name` is the product's, when the error concerns one line. */
export function cartErrorMessage(error: ApiErrorLike, name?: string): string {
  const item = name ?? 'This item';
  switch (error.code) {
    case 'insufficient_stock': {
      const most = mostAvailable(error);
      if (most === undefined) return `Not enough of ${name ?? 'this item'} is left.`;
      return most === 0 ? `${item} is sold out: someone else got the last one.` : `Only ${most} of ${name ?? 'this item'} can be held right now.`;
    }
    case 'reservation_expired':
      return `The hold on ${name ?? 'this item'} expired and its stock went back on sale.`;
    case 'reservation_not_active':
      if (lapsed(error)) return `The hold on ${name ?? 'this item'} expired and its stock went back on sale.`;
      return `${item} is no longer held for you${/committed/.test(error.details ?? '') ? ': it was ordered' : ''}.`;
    case 'reservation_not_found':
      return `${item} is no longer in your cart.`;
    case 'extension_limit_reached':
      return `The hold on ${name ?? 'this item'} cannot be extended again. Check out before it runs out.`;
    case 'product_not_found':
      return `${item} is no longer for sale.`;
    case 'rate_limited': {
      const seconds = /(\d+) seconds/.exec(error.hint ?? '')?.[1];
      return `Too many changes in a short time. Try again${seconds ? ` in ${seconds} s` : ' shortly'}.`;
    }
    case 'multiple_vendors':
      return 'Check out one vendor at a time.';
    case 'not_authenticated':
    case 'PGRST301':
    case 'PGRST303':
    case '42501':
      return 'Your session has ended. Sign in again to keep shopping.';
    default:
      return isNetworkError(error) ? 'The shop could not be reached. Check your connection and try again.' : error.message;
  }
}
