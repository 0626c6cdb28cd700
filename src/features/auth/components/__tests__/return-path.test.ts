// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { returnPath } from '../redirect-if-signed-in.tsx';

describe('returnPath', () => {
  it('returns to the page the guard came from', () => {
    expect(returnPath({ from: '/stock?location=2' })).toBe('/stock?location=2');
  });

  it('goes home without a usable origin', () => {
    expect(returnPath(null)).toBe('/');
    expect(returnPath({})).toBe('/');
    expect(returnPath({ from: 42 })).toBe('/');
  });

  it('never leaves the app', () => {
    expect(returnPath({ from: 'https://evil.example' })).toBe('/');
    expect(returnPath({ from: '//evil.example/path' })).toBe('/');
  });
});
