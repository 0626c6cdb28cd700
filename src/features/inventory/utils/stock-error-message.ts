export interface ApiErrorLike {
  code?: string | undefined;
  message?: string | undefined;
  details?: string | null | undefined;
  hint?: string | null | undefined;
}

export interface StockErrorMessage {
  title: string;
  description: string;
  /** Seconds to wait before retrying (rate_limited). */
  retryAfter?: number;
}

const numbers = (text: string | null | undefined) => [...(text ?? '').matchAll(/-?\d+/g)].map((m) => Number(m[0]));
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A network failure: the request may or may not have reached the database. */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  const { message = '' } = (error ?? {}) as ApiErrorLike;
  return /fetch failed|failed to fetch|networkerror|network request failed|load failed/i.test(message);
}

/**
 * What a vendor is told when a stock change fails: one message per code of the error catalog
 * (supabase/README.md), specific enough to act on. Switches on `code`, reads figures from `details`.
 */
export function stockErrorMessage(error: unknown): StockErrorMessage {
  if (isNetworkError(error)) {
    return {
      title: 'Could not reach the server',
      description: 'Check your connection and try again. Trying again is safe: a change that did arrive is never applied twice.',
    };
  }
  const e = (error ?? {}) as ApiErrorLike;
  switch (e.code) {
    case 'insufficient_stock': {
      // adjust_stock: "on_hand 5, reserved 4, delta -2"; set_stock: "on_hand 3 requested, reserved 4".
      const [onHand, reserved] = numbers(e.details);
      if (reserved !== undefined && onHand !== undefined) {
        return {
          title: 'Reserved stock cannot be removed',
          description: `${plural(reserved, 'unit is', 'units are')} reserved by shoppers; on hand cannot go below ${reserved}.`,
        };
      }
      return { title: 'Not enough stock', description: e.message ?? 'Not enough unreserved stock for this change.' };
    }
    case 'version_conflict':
      return { title: 'Someone changed this count first', description: 'The level changed since you read it. Review the current figure, then apply yours again or keep it.' };
    case 'rate_limited': {
      const [seconds] = numbers(e.hint);
      const wait = seconds ?? 60;
      return { title: 'Too many changes at once', description: `Wait ${plural(wait, 'second')} and try again.`, retryAfter: wait };
    }
    case 'forbidden':
    case '42501':
      return { title: 'Not allowed', description: 'Only members of this vendor can change its stock. Ask an owner to add you to the team.' };
    case 'not_authenticated':
    case 'PGRST301':
    case 'PGRST303':
      return { title: 'Your session ended', description: 'Sign in again, then retry.' };
    case 'product_not_found':
      return { title: 'Product not found', description: 'It may have been removed. Reload the inventory.' };
    case 'location_not_found':
      return { title: 'Location not found', description: 'It does not belong to this vendor any more. Reload the inventory.' };
    case 'invalid_quantity':
      return { title: 'Check the quantity', description: e.message ? `${e.message}.` : 'Enter a whole number.' };
    case 'invalid_argument':
      return { title: 'Check the form', description: [e.message, e.details].filter(Boolean).join(': ') + '.' };
    case 'idempotency_key_reused':
      return { title: 'This change was already sent with other values', description: 'Close the form and start the change again.' };
    case 'idempotency_key_required':
    case 'idempotency_key_invalid':
      return { title: 'The app sent a malformed request', description: 'Reload the page and try again; if it persists, report it with the time.' };
    default:
      return { title: 'The change failed', description: e.message ? `${e.message}${e.code ? ` (${e.code})` : ''}.` : 'Try again in a moment.' };
  }
}
