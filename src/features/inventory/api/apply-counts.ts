import { useMutation, useQueryClient } from '@tanstack/react-query';
import { stockErrorMessage, isNetworkError } from '../utils/stock-error-message.ts';
import type { ImportRow } from '../utils/inventory-csv.ts';
import { inventoryKeys } from './keys.ts';
import { setStock } from './set-stock.ts';
import { applyReturnedLevel, type StockSnapshot } from './stock-snapshot.ts';

export interface CountToApply extends ImportRow {
  /** One key per row, made when the preview was: applying the same preview again replays, never applies twice. */
  idempotencyKey: string;
}

export type CountOutcome =
  | { line: number; result: 'applied'; onHand: number; version: number }
  | { line: number; result: 'unchanged' }
  | { line: number; result: 'conflict'; message: string }
  | { line: number; result: 'error'; message: string }
  | { line: number; result: 'skipped'; message: string };

export interface ApplyProgress {
  done: number;
  total: number;
  /** Set while waiting out a 429 (seconds left). */
  pausedFor?: number;
}

const WORKERS = 3;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Applies an import's counts through set_stock, compare-and-set on the version previewed, one
 * idempotency key per row. Rate limits pause and resume; a network error retries with the same key.
 */
export async function applyCounts(
  vendorId: string,
  rows: readonly CountToApply[],
  { onProgress, onLevel, signal }: { onProgress: (p: ApplyProgress) => void; onLevel: (level: Awaited<ReturnType<typeof setStock>>) => void; signal: AbortSignal },
): Promise<CountOutcome[]> {
  const outcomes: CountOutcome[] = [];
  const todo = rows.filter((r) => r.status === 'change');
  for (const r of rows) {
    if (r.status === 'unchanged') outcomes.push({ line: r.line, result: 'unchanged' });
    if (r.status === 'error') outcomes.push({ line: r.line, result: 'skipped', message: 'Not applied: see the flags in the preview.' });
  }
  let next = 0;
  let done = 0;
  let pausedUntil = 0;
  const total = todo.length;
  onProgress({ done, total });

  const applyOne = async (row: CountToApply): Promise<CountOutcome> => {
    for (let attempt = 0; ; attempt += 1) {
      const wait = pausedUntil - Date.now();
      if (wait > 0) await sleep(wait, signal);
      if (signal.aborted) return { line: row.line, result: 'error', message: 'Stopped before it was sent.' };
      try {
        const level = await setStock({
          kind: 'set',
          vendorId,
          productId: row.productId!,
          locationId: row.locationId!,
          onHand: row.next!,
          expectedVersion: row.current!.version,
          idempotencyKey: row.idempotencyKey,
        });
        onLevel(level);
        return level.version === row.current!.version ? { line: row.line, result: 'unchanged' } : { line: row.line, result: 'applied', onHand: level.on_hand, version: level.version };
      } catch (error) {
        const message = stockErrorMessage(error);
        if ((error as { code?: string }).code === 'rate_limited' && attempt < 20) {
          pausedUntil = Math.max(pausedUntil, Date.now() + (message.retryAfter ?? 5) * 1000);
          onProgress({ done, total, pausedFor: Math.ceil((pausedUntil - Date.now()) / 1000) });
          continue;
        }
        if (isNetworkError(error) && attempt < 2) continue;
        if ((error as { code?: string }).code === 'version_conflict') return { line: row.line, result: 'conflict', message: 'Changed since the preview: review the current figure and import again.' };
        return { line: row.line, result: 'error', message: `${message.title}. ${message.description}` };
      }
    }
  };

  const worker = async () => {
    while (next < todo.length) {
      const row = todo[next++]!;
      outcomes.push(await applyOne(row));
      done += 1;
      onProgress({ done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(WORKERS, todo.length) }, worker));
  return outcomes.sort((a, b) => a.line - b.line);
}

export function useApplyCounts(vendorId: string, onProgress: (p: ApplyProgress) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ rows, signal }: { rows: CountToApply[]; signal: AbortSignal }) =>
      applyCounts(vendorId, rows, {
        signal,
        onProgress,
        onLevel: (level) => queryClient.setQueryData<StockSnapshot>(inventoryKeys.stock(vendorId), (s) => s && applyReturnedLevel(s, level)),
      }),
  });
}
