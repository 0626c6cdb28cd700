import { useSyncExternalStore } from 'react';

// Tailwind's sm and lg breakpoints, as the grid's classes use them.
const wide = '(min-width: 1024px)';
const medium = '(min-width: 640px)';

function subscribe(onChange: () => void) {
  if (typeof window.matchMedia !== 'function') return () => undefined;
  const queries = [wide, medium].map((q) => window.matchMedia(q));
  for (const q of queries) q.addEventListener('change', onChange);
  return () => queries.forEach((q) => q.removeEventListener('change', onChange));
}

function columns(): number {
  if (typeof window.matchMedia !== 'function') return 3;
  return window.matchMedia(wide).matches ? 3 : window.matchMedia(medium).matches ? 2 : 1;
}

/** How many product cards a row of the shop holds at this width: 1, 2 or 3. */
export const useColumns = () => useSyncExternalStore(subscribe, columns, () => 3);
