/**
 * What a password-reset link brought back in the address. GoTrue redirects to `redirect_to` with
 * `?code=` (PKCE) or `#access_token=…&type=recovery` (implicit) on success, and with
 * `error`, `error_code`, `error_description` (query for PKCE, fragment for implicit) when the
 * link is expired, used or invalid.
 */
export type RecoveryLink =
  | { kind: 'error'; code: string; description: string }
  | { kind: 'code'; code: string }
  | { kind: 'none' };

export function parseRecoveryLink(search: string, hash: string): RecoveryLink {
  const query = new URLSearchParams(search);
  const fragment = new URLSearchParams(hash.replace(/^#/, ''));
  const read = (name: string) => query.get(name) ?? fragment.get(name);
  const error = read('error');
  const errorCode = read('error_code');
  const description = read('error_description');
  if (error || errorCode || description) {
    return { kind: 'error', code: errorCode ?? error ?? 'unspecified', description: description ?? '' };
  }
  const code = query.get('code');
  if (code) return { kind: 'code', code };
  return { kind: 'none' };
}

/** Why a link does not work, in words a user can act on. */
export function recoveryLinkProblem(code: string): string {
  switch (code) {
    case 'otp_expired':
    case 'flow_state_expired':
    case 'flow_state_not_found':
      return 'This reset link has expired or has already been used.';
    case 'pkce_code_verifier_not_found':
    case 'bad_code_verifier':
      return 'This reset link has expired, has already been used, or was opened in another browser than the one that asked for it.';
    default:
      return 'This reset link does not work.';
  }
}
