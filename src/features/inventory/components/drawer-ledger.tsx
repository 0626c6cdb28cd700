import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { CopyButton } from '@/components/ui/copy-button.tsx';
import { cn } from '@/lib/cn.ts';
import { formatDateTime, formatRelative } from '@/lib/format.ts';
import { useLedger, type Movement } from '../api/get-ledger.ts';
import { useTeam } from '../api/get-team.ts';
import type { Location } from '../api/stock-snapshot.ts';
import { describeActor } from '../utils/describe-actor.ts';

const kinds: Record<string, string> = {
  restock: 'Restock',
  adjustment: 'Adjustment',
  reservation: 'Reserved',
  release: 'Released',
  expiry: 'Expired',
  sale: 'Sale',
};

function Delta({ value, unit }: { value: number; unit: string }) {
  if (value === 0) return null;
  return (
    <span className={cn('font-semibold tabular-nums', value > 0 ? 'text-emerald-700' : 'text-red-700')}>
      {value > 0 ? '+' : '−'}
      {Math.abs(value)} {unit}
    </span>
  );
}

function MovementRow({ m, locationName, actor, now }: { m: Movement; locationName: string; actor: string; now: number }) {
  return (
    <li className="py-2.5 text-sm" data-movement-id={m.id}>
      <div className="flex items-baseline justify-between gap-3">
        <p className="flex flex-wrap items-baseline gap-x-2">
          <span className="font-medium text-slate-900">{kinds[m.kind] ?? m.kind}</span>
          <Delta value={m.on_hand_delta} unit="on hand" />
          <Delta value={m.reserved_delta} unit="reserved" />
          <span className="text-slate-600">· {locationName}</span>
        </p>
        <time dateTime={m.created_at} title={formatDateTime(m.created_at)} className="shrink-0 text-xs text-slate-600">
          {formatRelative(m.created_at, now)}
        </time>
      </div>
      <p className="mt-0.5 flex flex-wrap items-center gap-x-2 text-xs text-slate-600">
        {m.reason && <span className="text-slate-700">{m.reason}</span>}
        <span>by {actor}</span>
        <span className="tabular-nums">v{m.level_version}</span>
        {m.request_id && (
          <span className="inline-flex items-center gap-1">
            request <span className="font-mono">{m.request_id.slice(0, 8)}</span>
            <CopyButton value={m.request_id} label="request id" />
          </span>
        )}
      </p>
    </li>
  );
}

/** The product's stock ledger, newest first, paged; it refreshes when the product's stock changes. */
export function DrawerLedger({ vendorId, productId, userId, locations, now }: { vendorId: string; productId: string; userId: string; locations: Location[]; now: number }) {
  const ledger = useLedger(vendorId, productId);
  const team = useTeam(vendorId);
  if (ledger.isPending) return <p className="text-sm text-slate-600">Loading history…</p>;
  if (ledger.isError) {
    return (
      <Alert tone="error" title="The history could not be loaded">
        <p>{ledger.error.message}</p>
        <Button variant="secondary" className="mt-2" onClick={() => void ledger.refetch()}>
          Try again
        </Button>
      </Alert>
    );
  }
  const movements = ledger.data.pages.flat();
  if (movements.length === 0) return <p className="text-sm text-slate-600">No stock movements yet. The first adjustment or count starts the history.</p>;
  const name = (id: string) => locations.find((l) => l.id === id)?.name ?? 'Unknown location';
  return (
    <div>
      <ol className="divide-y divide-slate-100" aria-label="Stock history, newest first">
        {movements.map((m) => (
          <MovementRow key={m.id} m={m} locationName={name(m.location_id)} actor={describeActor(m, team.data, userId)} now={now} />
        ))}
      </ol>
      {ledger.hasNextPage && (
        <Button variant="secondary" className="mt-3 w-full" loading={ledger.isFetchingNextPage} onClick={() => void ledger.fetchNextPage()}>
          Show older movements
        </Button>
      )}
    </div>
  );
}
