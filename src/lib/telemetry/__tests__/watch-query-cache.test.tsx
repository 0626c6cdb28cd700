// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import type { CacheRead } from '../collector.ts';
import { watchQueryCache } from '../watch-query-cache.ts';

afterEach(cleanup);

function Reader({ id, staleTime }: { id: string; staleTime: number }) {
  const { data } = useQuery({ queryKey: ['catalog', 'products'], queryFn: async () => 'rows', staleTime });
  return <p>{`${id}:${data ?? 'loading'}`}</p>;
}

describe('watchQueryCache', () => {
  it('counts a read with nothing cached as a miss and a fetch, later reads as hits or stale hits', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const reads: Array<[string, CacheRead]> = [];
    const fetches: string[] = [];
    const stop = watchQueryCache(queryClient, { recordCacheRead: (key, read) => reads.push([key, read]), recordFetch: (key) => fetches.push(key) });

    const first = render(
      <QueryClientProvider client={queryClient}>
        <Reader id="a" staleTime={60_000} />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByText('a:rows')).toBeTruthy());
    expect(reads).toEqual([['catalog', 'miss']]);
    expect(fetches).toEqual(['catalog']);

    first.rerender(
      <QueryClientProvider client={queryClient}>
        <Reader id="a" staleTime={60_000} />
        <Reader id="b" staleTime={60_000} />
        <Reader id="c" staleTime={0} />
      </QueryClientProvider>,
    );
    await waitFor(() => expect(screen.getByText('c:rows')).toBeTruthy());
    expect(reads).toEqual([['catalog', 'miss'], ['catalog', 'hit'], ['catalog', 'stale']]);
    // The stale read refetches in the background.
    await waitFor(() => expect(fetches).toEqual(['catalog', 'catalog']));
    stop();
  });

  it('leaves out queries marked meta.telemetry = false', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const seen: string[] = [];
    const stop = watchQueryCache(queryClient, { recordCacheRead: (key) => seen.push(key), recordFetch: (key) => seen.push(key) });
    await queryClient.fetchQuery({ queryKey: ['monitoring', 'health'], queryFn: async () => 1, meta: { telemetry: false } });
    await queryClient.fetchQuery({ queryKey: ['catalog'], queryFn: async () => 1 });
    expect(seen).toEqual(['catalog']);
    stop();
  });
});
