import { describe, expect, it } from 'vitest';
import type { HoldState } from '../cart-lines.ts';
import { holdAnnouncements } from '../hold-announcements.ts';

const line = (id: string, deadline: number, status = 'active') => ({ reservation_id: id, product_name: `Item ${id}`, status, deadline });

/** Ticks once a second from 0 to `until` ms, collecting every message. */
function tick(lines: Array<ReturnType<typeof line>>, until: number) {
  let states: Map<string, HoldState> = new Map();
  const said: Array<[number, string]> = [];
  for (let now = 0; now <= until; now += 1000) {
    const result = holdAnnouncements(states, lines, now);
    states = result.states;
    for (const m of result.messages) said.push([now, m]);
  }
  return said;
}

describe('holdAnnouncements', () => {
  it('a countdown of 3 minutes is announced twice in its life: at 1 minute left and when it expires', () => {
    expect(tick([line('a', 180_000)], 200_000)).toEqual([
      [121_000, '1 minute left on your hold of Item a'],
      [180_000, 'Your hold of Item a expired; the stock was released'],
    ]);
  });

  it('holds that cross together are summarised in one sentence', () => {
    const said = tick([line('a', 90_000), line('b', 90_000), line('c', 90_000)], 95_000);
    expect(said).toEqual([
      [31_000, '1 minute left on 3 holds'],
      [90_000, '3 holds expired; the stock was released'],
    ]);
  });

  it('a hold first seen in its last minute is announced; one first seen expired is not', () => {
    expect(holdAnnouncements(new Map(), [line('a', 30_000)], 0).messages).toEqual(['1 minute left on your hold of Item a']);
    expect(holdAnnouncements(new Map(), [line('a', 30_000, 'expired')], 0).messages).toEqual([]);
    expect(holdAnnouncements(new Map(), [line('a', 600_000)], 0).messages).toEqual([]);
  });
});
