import { Alert } from '@/components/ui/alert.tsx';
import { CountdownPill } from '@/components/ui/countdown-pill.tsx';
import { formatCount } from '@/lib/format.ts';
import { useProductReservations } from '../api/get-product-reservations.ts';
import type { Location } from '../api/stock-snapshot.ts';

/** Who holds this product right now, and for how long: live from the vendor's feed. */
export function DrawerReservations({ vendorId, productId, locations, now }: { vendorId: string; productId: string; locations: Location[]; now: number }) {
  const reservations = useProductReservations(vendorId, productId);
  if (reservations.isPending) return <p className="text-sm text-slate-600">Loading reservations…</p>;
  if (reservations.isError) return <Alert tone="error" title="Reservations could not be loaded">{reservations.error.message}</Alert>;
  if (reservations.data.length === 0) return <p className="text-sm text-slate-600">No shopper holds this product right now.</p>;
  const name = (id: string) => locations.find((l) => l.id === id)?.name ?? 'Unknown location';
  return (
    <ul className="divide-y divide-slate-100" aria-label="Active reservations">
      {reservations.data.map((r) => (
        <li key={r.id} className="flex items-center justify-between gap-3 py-2 text-sm" data-reservation-id={r.id}>
          <div className="min-w-0">
            <p className="font-medium text-slate-900 tabular-nums">
              {formatCount(r.quantity)} × at {name(r.location_id)}
            </p>
            <p className="truncate text-xs text-slate-600">
              Shopper <span className="font-mono">{r.customer_id.slice(0, 8)}</span> · reservation <span className="font-mono">{r.id.slice(0, 8)}</span>
            </p>
          </div>
          <CountdownPill expiresAt={r.expires_at} now={now} />
        </li>
      ))}
    </ul>
  );
}
