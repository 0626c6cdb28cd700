import { describe, expect, it } from 'vitest';
import { parseRecoveryLink, recoveryLinkProblem } from '../recovery-link.ts';

describe('parseRecoveryLink', () => {
  it('reads the PKCE code from the query', () => {
    expect(parseRecoveryLink('?code=abc-123', '')).toEqual({ kind: 'code', code: 'abc-123' });
  });

  it("reads GoTrue's error redirect from the fragment (implicit) or the query (PKCE)", () => {
    const fragment = '#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired';
    expect(parseRecoveryLink('', fragment)).toEqual({ kind: 'error', code: 'otp_expired', description: 'Email link is invalid or has expired' });
    expect(parseRecoveryLink('?error=access_denied&error_code=otp_expired&error_description=x', '')).toMatchObject({ kind: 'error', code: 'otp_expired' });
  });

  it('an error wins over a code, and an error without error_code keeps its error', () => {
    expect(parseRecoveryLink('?code=abc&error=server_error', '')).toEqual({ kind: 'error', code: 'server_error', description: '' });
  });

  it('nothing in the address is no link', () => {
    expect(parseRecoveryLink('', '')).toEqual({ kind: 'none' });
    expect(parseRecoveryLink('?other=1', '#x=y')).toEqual({ kind: 'none' });
  });
});

describe('recoveryLinkProblem', () => {
  it('says expired or used for the codes GoTrue sends for those', () => {
    for (const code of ['otp_expired', 'flow_state_expired', 'flow_state_not_found']) {
      expect(recoveryLinkProblem(code)).toBe('This reset link has expired or has already been used.');
    }
  });

  it('names the other browser when the code verifier is missing', () => {
    expect(recoveryLinkProblem('pkce_code_verifier_not_found')).toContain('opened in another browser');
  });

  it('has a plain answer for anything else', () => {
    expect(recoveryLinkProblem('unspecified')).toBe('This reset link does not work.');
  });
});
