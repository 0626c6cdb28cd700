import { useEffect, useRef, type RefObject } from 'react';

/** Briefly highlights the element when `value` changes after the first render (not with reduced motion). */
export function useFlashOnChange<T extends HTMLElement>(value: unknown): RefObject<T | null> {
  const ref = useRef<T>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const element = ref.current;
    if (!element || typeof element.animate !== 'function') return;
    if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return;
    element.animate([{ backgroundColor: 'rgb(224 231 255)' }, { backgroundColor: 'transparent' }], { duration: 1000, easing: 'ease-out' });
  }, [value]);
  return ref;
}
