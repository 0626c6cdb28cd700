import { QueryClient, type DefaultOptions } from '@tanstack/react-query';

export const queryDefaults: DefaultOptions = {
  queries: { staleTime: 30_000, refetchOnWindowFocus: true, retry: 2 },
  mutations: { retry: false },
};

export function createQueryClient(defaults: DefaultOptions = queryDefaults): QueryClient {
  return new QueryClient({ defaultOptions: defaults });
}
