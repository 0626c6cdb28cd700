import { describe, expect, it } from 'vitest';
import { IntentKeys } from '../intent-keys.ts';

function keys() {
  let n = 0;
  return new IntentKeys(() => `key-${++n}`);
}

describe('IntentKeys', () => {
  it('gives a repeated intent (a double click, a retry) the same key until it succeeds', () => {
    const k = keys();
    expect(k.keyFor('reserve:p1:2')).toBe('key-1');
    expect(k.keyFor('reserve:p1:2')).toBe('key-1');
    k.succeeded('reserve:p1:2', 'key-1');
    expect(k.keyFor('reserve:p1:2')).toBe('key-2');
  });

  it('gives other arguments another key, and ignores the success of a superseded key', () => {
    const k = keys();
    expect(k.keyFor('reserve:p1:2')).toBe('key-1');
    expect(k.keyFor('reserve:p1:3')).toBe('key-2');
    k.succeeded('reserve:p1:2', 'key-1');
    const next = k.keyFor('reserve:p1:2');
    expect(next).toBe('key-3');
    // The late success of the first attempt does not discard the key of the one under way.
    k.succeeded('reserve:p1:2', 'key-1');
    expect(k.keyFor('reserve:p1:2')).toBe('key-3');
  });

  it('makes UUIDs by default', () => {
    expect(new IntentKeys().keyFor('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
