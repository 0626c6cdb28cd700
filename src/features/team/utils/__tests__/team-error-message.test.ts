import { describe, expect, it } from 'vitest';
import { inviteUrl, teamErrorMessage } from '../team-error-message.ts';

describe('teamErrorMessage', () => {
  it('explains each code the team RPCs raise', () => {
    expect(teamErrorMessage({ code: 'last_owner', message: 'A team needs at least one owner' })).toMatch(/Make someone else an owner first/);
    expect(teamErrorMessage({ code: 'invitation_expired' })).toMatch(/expired/);
    expect(teamErrorMessage({ code: 'invitation_revoked' })).toMatch(/withdrawn/);
  });
  it("falls back to the API's message, then to a generic one", () => {
    expect(teamErrorMessage({ code: 'XX000', message: 'boom' })).toBe('boom');
    expect(teamErrorMessage(null)).toBe('Something went wrong. Try again.');
  });
});

describe('inviteUrl', () => {
  it('builds the invite page URL on the given origin', () => {
    expect(inviteUrl('abc_DEF-123', 'https://shop.example')).toBe('https://shop.example/invite/abc_DEF-123');
  });
});
