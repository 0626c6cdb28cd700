import { describe, expect, it } from 'vitest';
import { sessionAal } from '../session-aal.ts';

const token = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.sig`;

describe('sessionAal', () => {
  it("reads the access token's aal claim", () => {
    expect(sessionAal({ access_token: token({ aal: 'aal2', sub: 'u' }) })).toBe('aal2');
    expect(sessionAal({ access_token: token({ aal: 'aal1' }) })).toBe('aal1');
  });
  it('is null without a session, a claim or a readable token', () => {
    expect(sessionAal(null)).toBeNull();
    expect(sessionAal({ access_token: token({}) })).toBeNull();
    expect(sessionAal({ access_token: 'not-a-jwt' })).toBeNull();
    expect(sessionAal({ access_token: 'a.%%%.b' })).toBeNull();
  });
});
