import { useRef, useState, type ReactNode } from 'react';
import { Upload } from 'lucide-react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';
import { cn } from '@/lib/cn.ts';
import { formatCount } from '@/lib/format.ts';
import { newIdempotencyKey } from '@/lib/idempotency-key.ts';
import { useApplyCounts, type ApplyProgress, type CountOutcome, type CountToApply } from '../api/apply-counts.ts';
import type { StockSnapshot } from '../api/stock-snapshot.ts';
import { flagText, planImport } from '../utils/inventory-csv.ts';

const MAX_BYTES = 5 * 1024 * 1024;

const outcomeLooks: Record<CountOutcome['result'], { label: string; className: string }> = {
  applied: { label: 'Applied', className: 'text-emerald-700' },
  unchanged: { label: 'Unchanged', className: 'text-slate-600' },
  conflict: { label: 'Conflict', className: 'text-amber-800' },
  error: { label: 'Error', className: 'text-red-700' },
  skipped: { label: 'Skipped', className: 'text-slate-600' },
};

function tallyOf(outcomes: CountOutcome[]): Partial<Record<CountOutcome['result'], number>> {
  const tally: Partial<Record<CountOutcome['result'], number>> = {};
  for (const o of outcomes) tally[o.result] = (tally[o.result] ?? 0) + 1;
  return tally;
}

function Steps({ step }: { step: 0 | 1 | 2 }) {
  return (
    <ol className="mb-4 flex gap-2 text-xs font-medium" aria-label="Steps">
      {['Choose file', 'Preview', 'Results'].map((label, i) => (
        <li key={label} aria-current={i === step ? 'step' : undefined} className={cn('rounded-full px-2.5 py-1', i === step ? 'bg-indigo-600 text-white' : i < step ? 'bg-indigo-50 text-indigo-700' : 'bg-slate-100 text-slate-600')}>
          {i + 1}. {label}
        </li>
      ))}
    </ol>
  );
}

/** The rows of the file, line by line, with a last column of `notes` (or an on-hand column too, in the preview). */
function RowsTable({ rows, withCounts, notes }: { rows: CountToApply[]; withCounts: boolean; notes: (row: CountToApply) => ReactNode }) {
  return (
    <div className="max-h-[45vh] overflow-auto rounded-lg ring-1 ring-slate-200">
      <table className="w-full text-left text-sm">
        <thead className="sticky top-0 bg-slate-50 text-xs text-slate-600">
          <tr>
            <th className="px-3 py-2 font-medium">Line</th>
            <th className="px-3 py-2 font-medium">SKU</th>
            <th className="px-3 py-2 font-medium">Location</th>
            {withCounts && <th className="px-3 py-2 text-right font-medium">On hand</th>}
            <th className="px-3 py-2 font-medium">{withCounts ? 'Notes' : 'Result'}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => (
            <tr key={r.line} data-line={r.line} className={withCounts && r.status === 'error' ? 'bg-red-50/50' : undefined}>
              <td className="px-3 py-1.5 text-slate-600 tabular-nums">{r.line}</td>
              <td className="px-3 py-1.5 font-mono text-xs">{r.sku || '—'}</td>
              <td className="px-3 py-1.5">{r.locationName || '—'}</td>
              {withCounts && (
                <td className="px-3 py-1.5 text-right tabular-nums whitespace-nowrap">
                  {r.current ? formatCount(r.current.onHand) : '?'} → <strong>{r.next !== undefined ? formatCount(r.next) : r.count || '?'}</strong>
                </td>
              )}
              <td className="px-3 py-1.5 text-xs">{notes(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Import a cycle count: choose a CSV (SKU, Location, On hand) → preview every change → apply and see each row's result. */
export function ImportCountsDialog({ open, onClose, vendorId, snapshot }: { open: boolean; onClose: () => void; vendorId: string; snapshot: StockSnapshot }) {
  const [fileName, setFileName] = useState<string>();
  const [rows, setRows] = useState<CountToApply[]>();
  const [fileError, setFileError] = useState<string>();
  const [progress, setProgress] = useState<ApplyProgress>();
  const abort = useRef<AbortController | null>(null);
  const apply = useApplyCounts(vendorId, setProgress);
  const step = apply.data ? 2 : rows ? 1 : 0;

  const reset = () => {
    abort.current?.abort();
    setRows(undefined);
    setFileName(undefined);
    setFileError(undefined);
    setProgress(undefined);
    apply.reset();
  };
  const close = () => {
    if (apply.isPending) abort.current?.abort();
    reset();
    onClose();
  };

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    if (file.size > MAX_BYTES) return setFileError('The file is over 5 MB. Split it into smaller counts.');
    const plan = planImport(await file.text(), snapshot);
    if (plan.fileError) return setFileError(plan.fileError);
    setFileError(undefined);
    setRows(plan.rows.map((r) => ({ ...r, idempotencyKey: newIdempotencyKey() })));
  };

  const counts = rows && { change: rows.filter((r) => r.status === 'change').length, unchanged: rows.filter((r) => r.status === 'unchanged').length, error: rows.filter((r) => r.status === 'error').length };
  const byLine = new Map((apply.data ?? []).map((o) => [o.line, o]));
  const tally = apply.data && tallyOf(apply.data);

  return (
    <Modal open={open} onClose={close} title="Import a stock count" width="max-w-3xl" description="A CSV with the columns SKU, Location and On hand; an export from this page works as a template.">
      <Steps step={step} />
      {step === 0 && (
        <div className="space-y-3">
          <label className="flex cursor-pointer flex-col items-center gap-2 rounded-xl border-2 border-dashed border-slate-300 px-6 py-10 text-center hover:border-indigo-400 focus-within:outline-2 focus-within:outline-indigo-600">
            <Upload className="size-6 text-slate-500" aria-hidden="true" />
            <span className="text-sm font-semibold text-slate-900">Choose a CSV file</span>
            <span className="text-xs text-slate-600">Counts are compared with what you see now; nothing changes before you apply.</span>
            <input type="file" accept=".csv,text/csv" className="sr-only" aria-label="CSV file with the counts" onChange={(e) => void choose(e.target.files?.[0])} />
          </label>
          {fileError && (
            <Alert tone="error" title={`${fileName ?? 'The file'} cannot be imported`}>
              {fileError}
            </Alert>
          )}
        </div>
      )}

      {step === 1 && rows && counts && (
        <div className="space-y-3">
          <p className="text-sm text-slate-700" role="status">
            {fileName}: <strong>{formatCount(counts.change)}</strong> to change, {formatCount(counts.unchanged)} unchanged, {formatCount(counts.error)} with problems.
          </p>
          <RowsTable
            rows={rows}
            withCounts
            notes={(r) => (
              <>
                {r.status === 'unchanged' && <span className="text-slate-600">No change</span>}
                {r.flags.map((f) => (
                  <span key={f} className={cn('mr-2', f === 'inactive' ? 'text-amber-800' : 'text-red-700')}>
                    {flagText[f]}
                  </span>
                ))}
              </>
            )}
          />
          {progress && (
            <div role="status" className="space-y-1">
              <div className="h-2 overflow-hidden rounded-full bg-slate-100">
                <div className="h-full bg-indigo-600 transition-[width]" style={{ width: `${progress.total ? (100 * progress.done) / progress.total : 100}%` }} />
              </div>
              <p className="text-xs text-slate-600 tabular-nums">
                Applied {formatCount(progress.done)} of {formatCount(progress.total)}
                {progress.pausedFor ? ` · paused by the rate limit, resuming in about ${progress.pausedFor} s` : ''}
              </p>
            </div>
          )}
          <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
            <Button variant="secondary" onClick={reset} disabled={apply.isPending}>
              Choose another file
            </Button>
            <Button
              loading={apply.isPending}
              disabled={counts.change === 0}
              onClick={() => {
                abort.current = new AbortController();
                apply.mutate({ rows, signal: abort.current.signal });
              }}
            >
              {counts.change === 0 ? 'Nothing to apply' : `Apply ${formatCount(counts.change)} ${counts.change === 1 ? 'count' : 'counts'}`}
            </Button>
          </div>
        </div>
      )}

      {step === 2 && rows && tally && (
        <div className="space-y-3">
          <p className="text-sm text-slate-700" role="status" data-testid="import-summary">
            {(['applied', 'unchanged', 'conflict', 'error', 'skipped'] as const)
              .filter((k) => tally[k])
              .map((k) => `${formatCount(tally[k]!)} ${outcomeLooks[k].label.toLowerCase()}`)
              .join(' · ')}
          </p>
          <RowsTable
            rows={rows}
            withCounts={false}
            notes={(r) => {
              const o = byLine.get(r.line);
              if (!o) return null;
              return (
                <>
                  <span className={cn('font-semibold', outcomeLooks[o.result].className)}>{outcomeLooks[o.result].label}</span>
                  {o.result === 'applied' && <span className="text-slate-600"> · on hand {formatCount(o.onHand)}</span>}
                  {'message' in o && <span className="text-slate-600"> · {o.message}</span>}
                </>
              );
            }}
          />
          <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
            <Button variant="secondary" onClick={reset}>
              Import another file
            </Button>
            <Button onClick={close}>Done</Button>
          </div>
        </div>
      )}
    </Modal>
  );
}
