import { holdState, type CartLine, type HoldState } from './cart-lines.ts';

// What the cart tells a screen reader about its countdowns: nothing every second (the timers are
// not live regions), only the moments that matter, a minute left and expired.

export interface HoldAnnouncements {
  /** Each line's state now, to pass back next time. */
  states: Map<string, HoldState>;
  /** Sentences to announce now (none most of the time). */
  messages: string[];
}

/**
 * Compares the lines' states with the ones seen last time. A line first seen with under a minute
 * left is announced (it matters now); one first seen expired is not (the page shows it).
 */
export function holdAnnouncements(previous: ReadonlyMap<string, HoldState>, lines: ReadonlyArray<Pick<CartLine, 'reservation_id' | 'product_name' | 'status' | 'deadline'>>, now: number): HoldAnnouncements {
  const states = new Map<string, HoldState>();
  const ending: string[] = [];
  const expired: string[] = [];
  for (const line of lines) {
    const state = holdState(line, now);
    states.set(line.reservation_id, state);
    const before = previous.get(line.reservation_id) ?? (state === 'expired' ? 'expired' : 'held');
    if (state === before) continue;
    if (state === 'ending') ending.push(line.product_name);
    else if (state === 'expired') expired.push(line.product_name);
  }
  const messages: string[] = [];
  if (ending.length === 1) messages.push(`1 minute left on your hold of ${ending[0]}`);
  else if (ending.length > 1) messages.push(`1 minute left on ${ending.length} holds`);
  if (expired.length === 1) messages.push(`Your hold of ${expired[0]} expired; the stock was released`);
  else if (expired.length > 1) messages.push(`${expired.length} holds expired; the stock was released`);
  return { states, messages };
}
