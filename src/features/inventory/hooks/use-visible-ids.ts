import { useEffect, useMemo, useRef, useState } from 'react';
import type { StockSnapshot } from '../api/stock-snapshot.ts';
import { dependsOnLiveFigures, visibleProductIds, type InventoryFilters } from '../utils/grid-rows.ts';

/** How often rows may move under the user's cursor when the order or the filters read live figures. */
export const REORDER_INTERVAL_MS = 1000;

/**
 * The grid's rows, in order. They follow a new filter, sort or product list at once; when the
 * filters or the sort read live figures (low stock, a stock column), stock events re-sort at most
 * once per REORDER_INTERVAL_MS, so rows do not jump under the cursor on every event.
 */
export function useVisibleIds(snapshot: StockSnapshot | undefined, filters: InventoryFilters): string[] {
  const live = dependsOnLiveFigures(filters);
  const [epoch, setEpoch] = useState(0);
  const lastReorder = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!live || !snapshot || timer.current !== undefined) return;
    timer.current = setTimeout(
      () => {
        timer.current = undefined;
        lastReorder.current = Date.now();
        setEpoch((e) => e + 1);
      },
      Math.max(0, lastReorder.current + REORDER_INTERVAL_MS - Date.now()),
    );
  }, [snapshot, live]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const ids = snapshot?.ids;
  const locations = snapshot?.locations;
  // The latest snapshot is read when the product list, the filters or the epoch change, not on every event.
  return useMemo(() => (snapshot ? visibleProductIds(snapshot, filters) : []), [ids, locations, filters, epoch]);
}
