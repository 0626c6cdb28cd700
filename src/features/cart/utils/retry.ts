import { isNetworkError, type ApiErrorLike } from './cart-errors.ts';

/**
 * Mutations retry a request that got no answer (twice, with react-query's backoff) with the same
 * arguments and so the same idempotency key: if the first attempt did reach the database, the
 * retry replays its result instead of holding stock twice. Errors the API answered are final.
 */
export const retryLostRequests = (failureCount: number, error: unknown) => failureCount < 2 && isNetworkError(error as ApiErrorLike);
