import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { CatalogFilters } from '../utils/filter-products.ts';

/** URL parameters, so a filtered catalog can be shared and survives a reload. */
const PARAMS = { search: 'q', vendorId: 'vendor', availableOnly: 'available' } as const;

export function filtersFrom(params: URLSearchParams): CatalogFilters {
  return {
    search: params.get(PARAMS.search) ?? '',
    vendorId: params.get(PARAMS.vendorId) || null,
    availableOnly: params.get(PARAMS.availableOnly) === '1',
  };
}

export function withFilters(params: URLSearchParams, changes: Partial<CatalogFilters>): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => (value ? next.set(name, value) : next.delete(name));
  if (changes.search !== undefined) set(PARAMS.search, changes.search.trim() ? changes.search : null);
  if (changes.vendorId !== undefined) set(PARAMS.vendorId, changes.vendorId);
  if (changes.availableOnly !== undefined) set(PARAMS.availableOnly, changes.availableOnly ? '1' : null);
  return next;
}

export function useCatalogFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  // Replace, not push: typing a search should not fill the history with one entry per key.
  // flushSync, not a transition: the search box is controlled by the URL and must not lag.
  const filtersChanged = useCallback(
    (changes: Partial<CatalogFilters>) => setParams((current) => withFilters(current, changes), { replace: true, flushSync: true }),
    [setParams],
  );
  const filtersCleared = useCallback(() => filtersChanged({ search: '', vendorId: null, availableOnly: false }), [filtersChanged]);
  return { filters, filtersChanged, filtersCleared };
}
