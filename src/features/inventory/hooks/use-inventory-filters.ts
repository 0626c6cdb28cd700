import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { defaultFilters, type InventoryFilters, type SortKey } from '../utils/grid-rows.ts';

/** URL parameters: a filtered, sorted grid can be shared and survives a reload. */
const PARAMS = { search: 'q', locationId: 'location', lowStock: 'low', outOfStock: 'out', inactive: 'inactive', sort: 'sort', descending: 'desc' } as const;

const SORT_KEY = /^(sku|name|total|updated|(on_hand|reserved|available):[0-9a-f-]{36})$/;

export function filtersFrom(params: URLSearchParams): InventoryFilters {
  const sort = params.get(PARAMS.sort) ?? '';
  return {
    search: params.get(PARAMS.search) ?? '',
    locationId: params.get(PARAMS.locationId) || null,
    lowStock: params.get(PARAMS.lowStock) === '1',
    outOfStock: params.get(PARAMS.outOfStock) === '1',
    inactive: params.get(PARAMS.inactive) === '1',
    sort: SORT_KEY.test(sort) ? (sort as SortKey) : defaultFilters.sort,
    descending: params.get(PARAMS.descending) === '1',
  };
}

export function withFilters(params: URLSearchParams, changes: Partial<InventoryFilters>): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | null) => (value ? next.set(name, value) : next.delete(name));
  const flag = (name: string, on: boolean | undefined) => on !== undefined && set(name, on ? '1' : null);
  if (changes.search !== undefined) set(PARAMS.search, changes.search.trim() ? changes.search : null);
  if (changes.locationId !== undefined) set(PARAMS.locationId, changes.locationId);
  flag(PARAMS.lowStock, changes.lowStock);
  flag(PARAMS.outOfStock, changes.outOfStock);
  flag(PARAMS.inactive, changes.inactive);
  if (changes.sort !== undefined) set(PARAMS.sort, changes.sort === defaultFilters.sort ? null : changes.sort);
  flag(PARAMS.descending, changes.descending);
  return next;
}

export function useInventoryFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  // Replace, not push, and synchronously: the search box is controlled by the URL and must not lag.
  const filtersChanged = useCallback(
    (changes: Partial<InventoryFilters>) => setParams((current) => withFilters(current, changes), { replace: true, flushSync: true }),
    [setParams],
  );
  const filtersCleared = useCallback(
    () => filtersChanged({ search: '', locationId: null, lowStock: false, outOfStock: false, inactive: false }),
    [filtersChanged],
  );
  return { filters, filtersChanged, filtersCleared };
}
