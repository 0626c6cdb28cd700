import { describe, expect, it } from 'vitest';
import { availabilityTopic } from '../use-catalog-realtime.ts';

describe('the catalog feed', () => {
  it('joins the public per-vendor topic the database sends to', () => {
    expect(availabilityTopic('4f5c')).toBe('vendor:4f5c:availability');
  });
});
