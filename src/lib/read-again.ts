import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * Reads the queries under `queryKey` again because a change was announced. A read already under
 * way is joined rather than restarted, so a burst of announcements costs one read, and is followed
 * by one more: it may have started before the announced change was committed, and would miss it.
 */
export function readAgain(queryClient: QueryClient, queryKey: QueryKey): Promise<void> {
  const read = () => queryClient.invalidateQueries({ queryKey }, { cancelRefetch: false });
  return queryClient.isFetching({ queryKey }) > 0 ? read().then(read) : read();
}
