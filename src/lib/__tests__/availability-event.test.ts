import { describe, expect, it } from 'vitest';
import { parseAvailabilityEvent, vendorAvailabilityTopic } from '../availability-event.ts';

describe('vendorAvailabilityTopic', () => {
  it('is the public per-vendor topic the database sends to', () => {
    expect(vendorAvailabilityTopic('4f5c')).toBe('vendor:4f5c:availability');
  });
});

describe('parseAvailabilityEvent', () => {
  it('accepts the feed payload and ignores its extra fields', () => {
    expect(parseAvailabilityEvent({ id: 'msg', product_id: 'a', available: 3, version: 4 })).toEqual({ product_id: 'a', available: 3, version: 4 });
  });

  it.each([
    ['null', null],
    ['a string', 'a'],
    ['no product', { available: 1, version: 1 }],
    ['a string quantity', { product_id: 'a', available: '1', version: 1 }],
    ['a fractional version', { product_id: 'a', available: 1, version: 1.5 }],
    ['no version', { product_id: 'a', available: 1 }],
  ])('rejects %s', (_label, payload) => {
    expect(parseAvailabilityEvent(payload)).toBeUndefined();
  });
});
