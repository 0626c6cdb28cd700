import { CircleAlert, CircleCheck } from 'lucide-react';
import { memo, useId } from 'react';
import { formatCount } from '@/lib/format.ts';
import { useDrift } from '../api/get-drift.ts';
import type { StockSnapshot } from '../api/stock-snapshot.ts';

/** stock_drift_report() for the vendor: "ledger reconciles", or the levels the ledger does not explain. */
export const LedgerHealth = memo(function LedgerHealth({ vendorId, snapshot }: { vendorId: string; snapshot: StockSnapshot }) {
  const drift = useDrift(vendorId);
  const panelId = useId();
  if (drift.isPending) return <span className="text-sm text-slate-600">Checking the ledger…</span>;
  if (drift.isError) return <span className="text-sm text-amber-800">Ledger check unavailable ({drift.error.message})</span>;
  if (drift.data.length === 0) {
    return (
      <span className="inline-flex items-center gap-1.5 text-sm text-emerald-800" title="Every on-hand and reserved figure equals the sum of its ledger movements, and reserved equals the active reservations." data-testid="ledger-health">
        <CircleCheck className="size-4" aria-hidden="true" />
        Ledger reconciles
      </span>
    );
  }
  const name = (productId: string) => snapshot.products[productId]?.sku ?? productId.slice(0, 8);
  const location = (id: string) => snapshot.locations.find((l) => l.id === id)?.name ?? id.slice(0, 8);
  return (
    <>
      <button type="button" popoverTarget={panelId} className="inline-flex items-center gap-1.5 rounded text-sm font-semibold text-red-700 focus-visible:outline-2 focus-visible:outline-indigo-600" data-testid="ledger-health">
        <CircleAlert className="size-4" aria-hidden="true" />
        {drift.data.length === 1 ? '1 level' : `${drift.data.length} levels`} out of step with the ledger
      </button>
      <div id={panelId} popover="auto" aria-label="Levels out of step with the ledger" className="fixed inset-auto top-1/4 left-1/2 m-0 w-96 max-w-[calc(100vw-1rem)] -translate-x-1/2 rounded-xl bg-white p-3 text-sm shadow-lg ring-1 ring-slate-900/10">
        <p className="mb-2 text-slate-700">These counters differ from the sums of their ledger movements. Report it with the rows below.</p>
        <ul className="space-y-1 tabular-nums">
          {drift.data.map((d) => (
            <li key={`${d.product_id}:${d.location_id}`}>
              <span className="font-mono">{name(d.product_id)}</span> at {location(d.location_id)}: on hand {formatCount(d.on_hand)} vs ledger {formatCount(d.ledger_on_hand)}, reserved{' '}
              {formatCount(d.reserved)} vs {formatCount(d.ledger_reserved)} (active {formatCount(d.active_reserved)})
            </li>
          ))}
        </ul>
      </div>
    </>
  );
});
