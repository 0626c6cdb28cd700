// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClientProvider, useQuery } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { createQueryClient } from '@/lib/query-client.ts';
import { productsQueryOptions, type CatalogProduct } from '../../api/get-products.ts';
import { writeAvailability } from '../../api/merge-availability.ts';
import { catalogKeys } from '../../api/keys.ts';
import { groupProducts } from '../../utils/filter-products.ts';
import { CatalogGrid } from '../catalog-grid.tsx';

// jsdom has no layout: the virtualiser's scroll calls have nowhere to go.
beforeEach(() => void vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined));
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function product(id: string, name: string, available: number, version: number): CatalogProduct {
  return { product_id: id, vendor_id: 'v1', vendor_name: 'Northwind Outfitters', sku: `SKU-${id}`, name, description: 'Warm', price: 1234.5, available, version, low_stock_threshold: 5 };
}

// The cached catalog as the page shows it, without the network: staleTime keeps the snapshot.
function Products() {
  const { data } = useQuery({ ...productsQueryOptions(), staleTime: Infinity });
  return <CatalogGrid groups={data ? groupProducts(data, { search: '', vendorId: null, availableOnly: false }) : []} />;
}

function renderCatalog(rows: CatalogProduct[]) {
  const queryClient = createQueryClient({ queries: { retry: false }, mutations: { retry: false } });
  queryClient.setQueryData(catalogKeys.products(), rows);
  render(
    <MemoryRouter>
      <QueryClientProvider client={queryClient}>
        <Products />
      </QueryClientProvider>
    </MemoryRouter>,
  );
  const card = (name: string) => within(screen.getByRole('article', { name }));
  return { queryClient, card };
}

describe('the catalog on screen', () => {
  it('shows each product with its price, availability and stock state under its vendor', () => {
    const { card } = renderCatalog([product('a', 'Rain jacket', 12, 1), product('b', 'Wool hat', 2, 1), product('c', 'Trail boots', 0, 1)]);
    expect(screen.getByRole('heading', { level: 2, name: 'Northwind Outfitters' })).toBeTruthy();
    expect(card('Rain jacket').getByTestId('available').textContent).toBe('12');
    expect(card('Rain jacket').getByText('$1,234.50')).toBeTruthy();
    expect(card('Rain jacket').getByTestId('stock-state').textContent).toBe('In stock');
    expect(card('Wool hat').getByTestId('stock-state').textContent).toBe('Only 2 left');
    expect(card('Trail boots').getByTestId('stock-state').textContent).toBe('Sold out');
    expect(card('Rain jacket').getByRole('link', { name: 'Rain jacket' }).getAttribute('href')).toBe('/shop/p/a');
  });

  it('re-renders a product when an event lands in the cache, and ignores a stale one', async () => {
    const { queryClient, card } = renderCatalog([product('a', 'Rain jacket', 12, 4), product('b', 'Wool hat', 9, 1)]);
    const shown = (name: string) => card(name).getByTestId('available').textContent;
    // react-query notifies observers on a timer, hence waitFor.
    act(() => void writeAvailability(queryClient, { product_id: 'a', available: 3, version: 5 }));
    await waitFor(() => expect(shown('Rain jacket')).toBe('3'));
    expect(card('Rain jacket').getByTestId('stock-state').textContent).toBe('Only 3 left');
    act(() => {
      writeAvailability(queryClient, { product_id: 'a', available: 12, version: 4 });
      writeAvailability(queryClient, { product_id: 'b', available: 8, version: 2 });
    });
    await waitFor(() => expect(shown('Wool hat')).toBe('8'));
    expect(shown('Rain jacket')).toBe('3');
    act(() => void writeAvailability(queryClient, { product_id: 'a', available: 0, version: 6 }));
    await waitFor(() => expect(card('Rain jacket').getByTestId('stock-state').textContent).toBe('Sold out'));
  });
});
