import { useEffect, useRef, useState } from 'react';

/**
 * `value`, updated at most once per `intervalMs` (the latest one, at the end of the interval):
 * for figures derived from live data that need not follow every event, such as summary tiles.
 */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  const lastShown = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  latest.current = value;

  useEffect(() => {
    if (Object.is(value, shown) || timer.current !== undefined) return;
    const wait = Math.max(0, lastShown.current + intervalMs - Date.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      lastShown.current = Date.now();
      setShown(() => latest.current);
    }, wait);
  }, [value, shown, intervalMs]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return shown;
}
