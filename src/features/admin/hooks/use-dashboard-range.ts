import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { DEFAULT_RANGE, parseRange, type DashboardRange } from '../utils/ranges.ts';

/** The range in the URL (?range=15m|1h|24h), so a view can be shared. */
export function useDashboardRange(): [DashboardRange, (range: DashboardRange) => void] {
  const [params, setParams] = useSearchParams();
  const range = parseRange(params.get('range'));
  const rangeChanged = useCallback(
    (next: DashboardRange) =>
      setParams((current) => {
        const updated = new URLSearchParams(current);
        if (next === DEFAULT_RANGE) updated.delete('range');
        else updated.set('range', next);
        return updated;
      }, { replace: true }),
    [setParams],
  );
  return [range, rangeChanged];
}
