import { useEffect, useRef, type RefObject } from 'react';

// Beyond this many at once, a burst is not calm any more and the work grows: skip the rest.
const MAX_RUNNING = 24;
let running = 0;

/** How long a changed figure stays marked when motion is reduced (no fade: on, then off). */
export const STATIC_MARK_MS = 2_000;

/**
 * Briefly highlights the element when `value` changes after the first render. The highlight is
 * the `flash-target` class's ::after layer fading out: an opacity animation the compositor runs,
 * so a burst of changes costs no repaints of the table. With reduced motion nothing moves: the
 * layer is shown still (`data-changed`) for a moment, then removed.
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
    element.classList.add('flash-target');
    if (window.matchMedia?.('(prefers-reduced-motion: reduce)').matches) {
      element.dataset.changed = '';
      const timer = setTimeout(() => delete element.dataset.changed, STATIC_MARK_MS);
      return () => {
        clearTimeout(timer);
        delete element.dataset.changed;
      };
    }
    if (running >= MAX_RUNNING) return;
    running += 1;
    const animation = element.animate([{ opacity: 1 }, { opacity: 0 }], { duration: 1000, easing: 'ease-out', pseudoElement: '::after' });
    const done = () => void (running -= 1);
    animation.addEventListener('finish', done, { once: true });
    animation.addEventListener('cancel', done, { once: true });
  }, [value]);
  return ref;
}
