import { useEffect, useState, type FormEvent } from 'react';
import { toast } from '@/lib/toast.ts';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Select } from '@/components/ui/select.tsx';
import { cn } from '@/lib/cn.ts';
import { formatCount, formatDateTime, formatRelative } from '@/lib/format.ts';
import { useIntentKey } from '@/lib/idempotency-key.ts';
import type { StockDialogMode } from '@/stores/inventory-ui.ts';
import type { AdjustStockInput } from '../api/adjust-stock.ts';
import { useLastChange } from '../api/get-last-change.ts';
import { useTeam } from '../api/get-team.ts';
import { useSetStock } from '../api/set-stock.ts';
import type { Level, StockSnapshot } from '../api/stock-snapshot.ts';
import { describeActor } from '../utils/describe-actor.ts';
import { stockErrorMessage } from '../utils/stock-error-message.ts';

const ADJUST_REASONS = [
  { value: 'received', label: 'Received' },
  { value: 'correction', label: 'Correction' },
  { value: 'damaged', label: 'Damaged' },
  { value: 'cycle count', label: 'Cycle count' },
  { value: 'other', label: 'Other' },
] as const;

/** The reason stored in the ledger: the chosen one, with the note after a colon. */
function reasonText(reason: string, note: string): string {
  const label = ADJUST_REASONS.find((r) => r.value === reason)?.label ?? reason;
  return note.trim() ? `${label}: ${note.trim()}` : label;
}

const parseWhole = (text: string) => (/^[+-]?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);

function LevelLine({ level }: { level: Level | undefined }) {
  if (!level) return <p className="text-sm text-slate-600">Never stocked here: the first change creates the level.</p>;
  return (
    <p className="text-sm text-slate-600 tabular-nums">
      On hand <span className="font-semibold text-slate-900">{formatCount(level.on_hand)}</span> · reserved{' '}
      <span className="font-semibold text-slate-900">{formatCount(level.reserved)}</span> · available{' '}
      <span className="font-semibold text-slate-900">{formatCount(level.available)}</span>
    </p>
  );
}


const modes: Array<{ value: StockDialogMode; label: string }> = [
  { value: 'adjust', label: 'Adjust by' },
  { value: 'set', label: 'Set count' },
];

function StockChangeForm({ vendorId, snapshot, userId, productId, initialLocationId, initialMode, onAdjust, onDone }: {
  vendorId: string;
  snapshot: StockSnapshot;
  userId: string;
  productId: string;
  initialLocationId: string;
  initialMode: StockDialogMode;
  onAdjust: (input: AdjustStockInput) => void;
  onDone: () => void;
}) {
  const product = snapshot.products[productId]!;
  const [mode, setMode] = useState<StockDialogMode>(initialMode);
  const [locationId, setLocationId] = useState(initialLocationId);
  const level = product.levels[locationId];
  const locationName = snapshot.locations.find((l) => l.id === locationId)?.name ?? 'this location';

  // What the user saw of this level when they chose it: the version a count is compared with.
  const [seen, setSeen] = useState<{ locationId: string; version: number; onHand: number }>({ locationId, version: level?.version ?? 0, onHand: level?.on_hand ?? 0 });
  useEffect(() => {
    if (seen.locationId !== locationId) setSeen({ locationId, version: level?.version ?? 0, onHand: level?.on_hand ?? 0 });
  }, [locationId, level, seen.locationId]);

  const [delta, setDelta] = useState('');
  const [reason, setReason] = useState<string>('received');
  const [note, setNote] = useState('');
  const [count, setCount] = useState('');
  const [touched, setTouched] = useState(false);

  const set = useSetStock();
  const deltaValue = parseWhole(delta);
  const countValue = parseWhole(count);
  const adjustKey = useIntentKey(['adjust', productId, locationId, deltaValue, reason, note]);
  const setKey = useIntentKey(['set', productId, locationId, countValue, seen.version]);

  const deltaError = !touched ? undefined : !Number.isInteger(deltaValue) || deltaValue === 0 ? 'Enter a whole number other than 0, e.g. 5 or -2.' : undefined;
  const noteError = touched && reason === 'other' && !note.trim() ? 'Say what happened.' : undefined;
  const countError = !touched ? undefined : !Number.isInteger(countValue) || countValue < 0 ? 'Enter the counted quantity: 0 or more.' : undefined;

  const conflict = set.error && (set.error as { code?: string }).code === 'version_conflict';
  const team = useTeam(vendorId);
  const lastChange = useLastChange(vendorId, productId, locationId, Boolean(conflict));
  const changedSinceSeen = level !== undefined && level.version !== seen.version && seen.locationId === locationId;

  const submitAdjust = () =>
    onAdjust({
      kind: 'adjust',
      vendorId,
      productId,
      locationId,
      delta: deltaValue,
      reason: reasonText(reason, note),
      idempotencyKey: adjustKey.key,
      label: `${product.name}: ${deltaValue > 0 ? '+' : ''}${formatCount(deltaValue)} at ${locationName}`,
    });

  const submitSet = (expectedVersion: number) => {
    set.mutate(
      { kind: 'set', vendorId, productId, locationId, onHand: countValue, expectedVersion, idempotencyKey: setKey.key },
      {
        onSuccess: (saved) => {
          toast.success(`${product.name}: count set at ${locationName}`, { description: `On hand now ${formatCount(saved.on_hand)} (version ${saved.version}).` });
          onDone();
        },
      },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (set.isPending) return;
    if (mode === 'adjust') {
      if (!Number.isInteger(deltaValue) || deltaValue === 0 || (reason === 'other' && !note.trim())) return;
      submitAdjust();
    } else {
      if (!Number.isInteger(countValue) || countValue < 0) return;
      submitSet(seen.version);
    }
  };

  const error = mode === 'set' && set.error && !conflict ? stockErrorMessage(set.error) : undefined;
  const after = mode === 'adjust' && Number.isInteger(deltaValue) ? (level?.on_hand ?? 0) + deltaValue : undefined;

  // Re-apply my count over the current figure: compare with the version on screen now.
  const adopt = () => {
    setSeen({ locationId, version: level?.version ?? 0, onHand: level?.on_hand ?? 0 });
    set.reset();
  };

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4">
      <Field label="Location">
        {(control) => (
          <Select {...control} value={locationId} onChange={(e) => setLocationId(e.target.value)}>
            {snapshot.locations.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <LevelLine level={level} />

      <fieldset>
        <legend className="sr-only">Kind of change</legend>
        <div className="flex gap-1 rounded-lg bg-slate-100 p-1">
          {modes.map(({ value, label }) => (
            <label
              key={value}
              className="flex-1 cursor-pointer rounded-md px-3 py-1.5 text-center text-sm font-medium text-slate-600 has-checked:bg-white has-checked:text-slate-900 has-checked:shadow-sm has-focus-visible:outline-2 has-focus-visible:outline-indigo-600"
            >
              <input type="radio" name="stock-change-mode" value={value} checked={mode === value} onChange={() => setMode(value)} className="sr-only" />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <div>
          <div className={cn('space-y-4', mode !== 'adjust' && 'hidden')}>
            <Field label="Change (units)" error={deltaError} hint={after !== undefined && after >= 0 ? `On hand ${formatCount(level?.on_hand ?? 0)} → ${formatCount(after)}` : 'Positive adds, negative removes.'}>
              {(control) => <Input {...control} inputMode="numeric" autoFocus={mode === 'adjust'} placeholder="e.g. 12 or -3" value={delta} onChange={(e) => setDelta(e.target.value)} />}
            </Field>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Reason">
                {(control) => (
                  <Select {...control} value={reason} onChange={(e) => setReason(e.target.value)}>
                    {ADJUST_REASONS.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label={reason === 'other' ? 'Note' : 'Note (optional)'} error={noteError}>
                {(control) => <Input {...control} maxLength={200} placeholder="PO number, who counted…" value={note} onChange={(e) => setNote(e.target.value)} />}
              </Field>
            </div>
          </div>
          <div className={cn('space-y-3', mode !== 'set' && 'hidden')}>
            <Field label="Counted on hand" error={countError} hint={`You saw ${formatCount(seen.onHand)} on hand (version ${seen.version}). The count is refused if it changed since.`}>
              {(control) => <Input {...control} inputMode="numeric" autoFocus={mode === 'set'} placeholder="e.g. 24" value={count} onChange={(e) => setCount(e.target.value)} />}
            </Field>
            {changedSinceSeen && !conflict && (
              <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20">
                Changed while you were counting: on hand is now {formatCount(level.on_hand)} (version {level.version}).
              </p>
            )}
          </div>
      </div>

      {conflict && (
        <div role="alert" className="space-y-3 rounded-lg bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-600/30" data-testid="version-conflict">
          <p className="font-semibold">Someone changed this count first</p>
          <p>
            On hand is now <span className="font-semibold tabular-nums">{formatCount(level?.on_hand ?? 0)}</span> (version {level?.version ?? 0}), not the{' '}
            {formatCount(seen.onHand)} you saw.
            {lastChange.data && (
              <>
                {' '}
                Last change: {describeActor(lastChange.data, team.data, userId)},{' '}
                <span title={formatDateTime(lastChange.data.created_at)}>{formatRelative(lastChange.data.created_at)}</span>
                {lastChange.data.reason ? ` (${lastChange.data.reason})` : ''}.
              </>
            )}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button type="button" onClick={adopt}>
              Review and apply {Number.isInteger(countValue) ? formatCount(countValue) : 'mine'} again
            </Button>
            <Button type="button" variant="secondary" onClick={onDone}>
              Keep {formatCount(level?.on_hand ?? 0)}
            </Button>
          </div>
        </div>
      )}
      {error && (
        <Alert tone="error" title={error.title}>
          {error.description}
        </Alert>
      )}

      <div className={cn('flex justify-end gap-2 border-t border-slate-100 pt-4', conflict && 'hidden')}>
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={set.isPending}>
          {mode === 'adjust' ? 'Apply' : set.isPending ? 'Saving count…' : 'Save count'}
        </Button>
      </div>
    </form>
  );
}

export interface StockChangeModalProps {
  vendorId: string;
  snapshot: StockSnapshot;
  userId: string;
  target: { mode: StockDialogMode; productId: string; locationId: string | null };
  onAdjust: (input: AdjustStockInput) => void;
  onClose: () => void;
}

/** The dialog itself, in its own chunk: loaded when a stock change is first opened (or prefetched when idle). */
export default function StockChangeModal({ vendorId, snapshot, userId, target, onAdjust, onClose }: StockChangeModalProps) {
  const product = snapshot.products[target.productId];
  return (
    <Modal
      open={Boolean(product)}
      onClose={onClose}
      title={product ? `Change stock · ${product.name}` : 'Change stock'}
      description={product ? <span className="font-mono text-xs">{product.sku}</span> : undefined}
      width="max-w-lg"
    >
      {product && (
        <StockChangeForm
          key={`${target.productId}:${target.mode}`}
          vendorId={vendorId}
          snapshot={snapshot}
          userId={userId}
          productId={target.productId}
          initialLocationId={target.locationId ?? snapshot.locations[0]?.id ?? ''}
          initialMode={target.mode}
          onAdjust={onAdjust}
          onDone={onClose}
        />
      )}
    </Modal>
  );
}
