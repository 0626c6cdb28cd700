import { describe, expect, it } from 'vitest';
import { availabilityTopic, liveStatusOf } from '../use-catalog-realtime.ts';

describe('liveStatusOf', () => {
  it('is live only when every vendor channel is subscribed', () => {
    expect(liveStatusOf([])).toBe('idle');
    expect(liveStatusOf(['connecting', 'live'])).toBe('connecting');
    expect(liveStatusOf(['live', 'live'])).toBe('live');
    expect(liveStatusOf(['live', 'offline', 'connecting'])).toBe('offline');
  });

  it('joins the public per-vendor topic the database sends to', () => {
    expect(availabilityTopic('4f5c')).toBe('vendor:4f5c:availability');
  });
});
