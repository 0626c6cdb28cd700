import { useEffect, useRef, type RefObject } from 'react';

// Beyond this many at once, a burst is not calm any more and the work grows: skip the rest.
const MAX_RUNNING = 24;
let running = 0;

/**
 * Briefly highlights the element when `value` changes after the first render (not with reduced
 * motion). The highlight is the `flash-target` class's ::after layer fading out: an opacity
 * animation the compositor runs, so a burst of changes costs no repaints of the table.
 */
export function useFlashOnChange<T extends HTMLElement>(value: unknown): RefObject<T | null> {
  const ref = useRef<T>(null);
  // The value last seen, not a "first render" flag: effects that run twice (StrictMode) must not flash.
  const previous = useRef(value);
  useEffect(() => {
    if (Object.is(previous.current, value)) return;
    previous.current = value;
    const element = ref.current;
    if (!element || typeof element.animate !== 'function') return;
    if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) return;
    if (running >= MAX_RUNNING) return;
    element.classList.add('flash-target');
    running += 1;
    const animation = element.animate([{ opacity: 1 }, { opacity: 0 }], { duration: 1000, easing: 'ease-out', pseudoElement: '::after' });
    const done = () => void (running -= 1);
    animation.addEventListener('finish', done, { once: true });
    animation.addEventListener('cancel', done, { once: true });
  }, [value]);
  return ref;
}
