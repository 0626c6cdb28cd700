import { useEffect, useState } from 'react';

/**
 * Whether an element has come within `margin` of the viewport yet (and stays true after): charts
 * below the fold are drawn when the admin scrolls to them, not all at once on load. Returns a
 * callback ref (the element may mount later than the component).
 */
export function useSeen<T extends Element>(margin = '200px') {
  const [element, setElement] = useState<T | null>(null);
  const [seen, setSeen] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (seen || !element) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setSeen(true);
    }, { rootMargin: margin });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, seen, margin]);
  return [setElement, seen] as const;
}
