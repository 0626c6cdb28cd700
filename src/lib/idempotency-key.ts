import { useCallback, useMemo, useState } from 'react';

export const newIdempotencyKey = (): string => crypto.randomUUID();

/**
 * The idempotency key of one user intent: the same while its inputs stay the same, so a double
 * click or a retry after a network error sends it again and the database applies it once; a new
 * key when an input changes (the same key with other arguments is refused with 422), or after
 * `renew()` once the intent is done.
 */
export function useIntentKey(inputs: readonly unknown[]): { key: string; renew: () => void } {
  const [generation, setGeneration] = useState(0);
  const signature = JSON.stringify(inputs);
  const key = useMemo(() => newIdempotencyKey(), [signature, generation]);
  const renew = useCallback(() => setGeneration((g) => g + 1), []);
  return { key, renew };
}
