import { useEffect, useRef } from 'react';

/**
 * Moves focus to the element when it appears: the heading or first field of a new step, so
 * keyboard and screen-reader users start where the new content starts.
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
