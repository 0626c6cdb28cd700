import { Button } from '@/components/ui/button.tsx';
import { formatCount, formatDateTime, formatRelative } from '@/lib/format.ts';
import { useFlashOnChange } from '@/lib/use-flash-on-change.ts';
import { useInventoryUi } from '@/stores/inventory-ui.ts';
import type { Location, StockProduct } from '../api/stock-snapshot.ts';

function Figure({ value, strong }: { value: number; strong?: boolean }) {
  const ref = useFlashOnChange<HTMLTableCellElement>(value);
  return (
    <td ref={ref} className={strong ? 'px-2 py-2 text-right font-semibold text-slate-900 tabular-nums' : 'px-2 py-2 text-right text-slate-700 tabular-nums'}>
      {formatCount(value)}
    </td>
  );
}

/** The product's level at each location, with the two ways to change it. */
export function DrawerLevels({ product, locations, now }: { product: StockProduct; locations: Location[]; now: number }) {
  const openDialog = useInventoryUi((s) => s.stockDialogOpened);
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0">
      <table className="w-full min-w-[21rem] text-sm">
        <caption className="sr-only">Stock of {product.name} by location</caption>
        <thead className="text-xs text-slate-600">
          <tr className="border-b border-slate-200">
            <th scope="col" className="px-2 py-2 text-left font-medium">Location</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">On hand</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Reserved</th>
            <th scope="col" className="px-2 py-2 text-right font-medium">Available</th>
            <th scope="col" className="hidden px-2 py-2 text-right font-medium sm:table-cell">Version</th>
            <th scope="col" className="px-2 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {locations.map((location) => {
            const level = product.levels[location.id];
            return (
              <tr key={location.id} className="border-b border-slate-100" data-location-id={location.id}>
                <th scope="row" className="px-2 py-2 text-left font-medium text-slate-900">
                  {location.name}
                  <div className="text-xs font-normal text-slate-600" title={level ? formatDateTime(level.updated_at) : undefined}>
                    {level ? `changed ${formatRelative(level.updated_at, now)}` : 'never stocked'}
                  </div>
                </th>
                <Figure value={level?.on_hand ?? 0} />
                <Figure value={level?.reserved ?? 0} />
                <Figure value={level?.available ?? 0} strong />
                <td className="hidden px-2 py-2 text-right text-xs text-slate-600 tabular-nums sm:table-cell">{level ? `v${level.version}` : '—'}</td>
                <td className="py-2 pl-1 text-right sm:whitespace-nowrap">
                  <Button variant="ghost" className="px-2 py-1" onClick={() => openDialog({ mode: 'adjust', productId: product.id, locationId: location.id })}>
                    Adjust<span className="sr-only"> at {location.name}</span>
                  </Button>
                  <Button variant="ghost" className="px-2 py-1" onClick={() => openDialog({ mode: 'set', productId: product.id, locationId: location.id })}>
                    Set<span className="sr-only"> count at {location.name}</span>
                  </Button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
