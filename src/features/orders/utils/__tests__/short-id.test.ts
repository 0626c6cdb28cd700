import { describe, expect, it } from 'vitest';
import { shortId } from '../short-id.ts';

describe('shortId', () => {
  it('is the first block of the UUID, upper case, after a #', () => {
    expect(shortId('1f3a9c2b-0d4e-4a8b-9c1d-2e3f4a5b6c7d')).toBe('#1F3A9C2B');
  });
});
