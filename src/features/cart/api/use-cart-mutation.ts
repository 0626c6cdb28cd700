import { useMutation, useQueryClient } from '@tanstack/react-query';
import { retryLostRequests } from '../utils/retry.ts';
import { cartKeys } from './keys.ts';

/**
 * A change to the shopper's holds: retried when the request got no answer (same arguments, so
 * the same idempotency key), and the cart read again afterwards, whether it worked or not (a
 * failure such as an expired hold is news about the cart too).
 */
export function useCartMutation<TInput, TResult, TError = Error>(
  mutationFn: (input: TInput) => Promise<TResult>,
  { onSuccess }: { onSuccess?: (result: TResult) => void } = {},
) {
  const queryClient = useQueryClient();
  return useMutation<TResult, TError, TInput>({
    mutationFn,
    retry: retryLostRequests,
    // Here rather than in mutate()'s callbacks, which do not run once the component is gone (the
    // cart re-read after a checkout can remove the very group whose dialog placed it).
    onSuccess: (result) => onSuccess?.(result),
    onSettled: () => queryClient.invalidateQueries({ queryKey: cartKeys.lines() }),
  });
}
