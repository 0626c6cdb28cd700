/** What to tell the user for an error of the team RPCs (codes: supabase/README.md's catalog). */
export function teamErrorMessage(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  switch (code) {
    case 'owner_required':
      return 'Only owners of this vendor can manage its team.';
    case 'already_member':
      return 'This person is already on the team. Change their role in the list instead.';
    case 'last_owner':
      return 'A team needs at least one owner. Make someone else an owner first.';
    case 'member_not_found':
      return 'This person is no longer on the team.';
    case 'invitation_not_found':
      return 'This invitation link is not valid. Check that you copied all of it, or ask the owner for a new one.';
    case 'invitation_used':
      return 'This invitation has already been accepted. Each link works once.';
    case 'invitation_revoked':
      return 'This invitation was withdrawn. Ask the owner for a new one.';
    case 'invitation_expired':
      return 'This invitation has expired. Ask the owner for a new one.';
    case 'email_mismatch':
      return 'This invitation is for another email address. Sign in with the invited email.';
    case 'email_not_verified':
      return 'Confirm your email address first (follow the link we emailed you), then open the invitation again.';
    case 'invalid_argument':
      return message || 'Check what you entered.';
    case 'mfa_required':
      return 'This needs two-factor: set it up in your account, then sign in with your authenticator code.';
    case 'rate_limited':
      return 'Too many changes at once. Wait a moment and try again.';
    default:
      return message || 'Something went wrong. Try again.';
  }
}

/** The link an invitee opens: this app's /invite/<token>. */
export function inviteUrl(token: string, origin: string = window.location.origin): string {
  return `${origin}/invite/${encodeURIComponent(token)}`;
}
