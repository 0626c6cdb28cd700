import { describe, expect, it } from 'vitest';
import { filtersFrom, withFilters } from '../use-catalog-filters.ts';

describe('catalog filters in the URL', () => {
  it('reads defaults from an empty query string', () => {
    expect(filtersFrom(new URLSearchParams())).toEqual({ search: '', vendorId: null, availableOnly: false });
  });

  it('round-trips every filter and keeps unrelated parameters', () => {
    const params = withFilters(new URLSearchParams('ref=mail'), { search: 'rain jacket', vendorId: 'v1', availableOnly: true });
    expect(params.toString()).toBe('ref=mail&q=rain+jacket&vendor=v1&available=1');
    expect(filtersFrom(params)).toEqual({ search: 'rain jacket', vendorId: 'v1', availableOnly: true });
  });

  it('removes parameters set back to their defaults, and blank searches', () => {
    const params = withFilters(new URLSearchParams('q=boots&vendor=v1&available=1'), { search: '   ', vendorId: null, availableOnly: false });
    expect(params.toString()).toBe('');
  });

  it('changes only what it is given', () => {
    expect(withFilters(new URLSearchParams('q=boots&vendor=v1'), { availableOnly: true }).toString()).toBe('q=boots&vendor=v1&available=1');
  });
});
