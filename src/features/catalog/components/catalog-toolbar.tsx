import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Select } from '@/components/ui/select.tsx';
import type { CatalogFilters, VendorOption } from '../utils/filter-products.ts';

export interface CatalogToolbarProps {
  filters: CatalogFilters;
  vendors: VendorOption[];
  onChange: (changes: Partial<CatalogFilters>) => void;
}

export function CatalogToolbar({ filters, vendors, onChange }: CatalogToolbarProps) {
  return (
    <search className="grid gap-4 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-900/5 sm:grid-cols-[1fr_16rem] sm:items-end lg:grid-cols-[1fr_16rem_auto]">
      <Field label="Search products">
        {(control) => (
          <Input
            {...control}
            type="search"
            placeholder="Name, SKU or vendor"
            autoComplete="off"
            value={filters.search}
            onChange={(event) => onChange({ search: event.target.value })}
          />
        )}
      </Field>
      <Field label="Vendor">
        {(control) => (
          <Select {...control} value={filters.vendorId ?? ''} onChange={(event) => onChange({ vendorId: event.target.value || null })}>
            <option value="">All vendors</option>
            {vendors.map((vendor) => (
              <option key={vendor.id} value={vendor.id}>
                {vendor.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <label className="flex cursor-pointer items-center gap-2.5 py-2.5 text-sm font-medium text-slate-900 select-none">
        <input
          type="checkbox"
          className="size-4 rounded border-slate-300 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          checked={filters.availableOnly}
          onChange={(event) => onChange({ availableOnly: event.target.checked })}
        />
        Available now only
      </label>
    </search>
  );
}
