import { memo } from 'react';
import { Search } from 'lucide-react';
import type { Location } from '../api/stock-snapshot.ts';
import type { InventoryFilters } from '../utils/grid-rows.ts';
import { FilterChip } from './filter-chip.tsx';

export const InventoryToolbar = memo(function InventoryToolbar({ filters, locations, onChange }: { filters: InventoryFilters; locations: Location[]; onChange: (changes: Partial<InventoryFilters>) => void }) {
  return (
    <search className="flex flex-col gap-2 lg:flex-row lg:items-center" aria-label="Filter the stock">
      <div className="flex gap-2">
        <div className="relative min-w-0 flex-1 lg:w-72 lg:flex-none">
          <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-500" aria-hidden="true" />
          <input
            type="search"
            aria-label="Search SKU or name"
            placeholder="Search SKU or name…"
            value={filters.search}
            onChange={(e) => onChange({ search: e.target.value })}
            className="block w-full rounded-lg border-0 bg-white py-2 pr-3 pl-9 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-indigo-600 focus:outline-none"
          />
        </div>
        <label className="sr-only" htmlFor="location-filter">
          Location
        </label>
        <select
          id="location-filter"
          value={filters.locationId ?? ''}
          onChange={(e) => onChange({ locationId: e.target.value || null })}
          className="w-40 shrink-0 rounded-lg border-0 bg-white py-2 pr-8 pl-3 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none sm:w-52"
        >
          <option value="">All locations</option>
          {locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-wrap gap-2" role="group" aria-label="Show only">
        <FilterChip label="Low stock" pressed={filters.lowStock} onToggle={() => onChange({ lowStock: !filters.lowStock })} />
        <FilterChip label="Out of stock" pressed={filters.outOfStock} onToggle={() => onChange({ outOfStock: !filters.outOfStock })} />
        <FilterChip label="Inactive" pressed={filters.inactive} onToggle={() => onChange({ inactive: !filters.inactive })} />
      </div>
    </search>
  );
});
