import { useState } from 'react';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { RelativeTime } from '@/components/ui/relative-time.tsx';
import { newIdempotencyKey } from '@/lib/idempotency-key.ts';
import { toast } from '@/lib/toast.ts';
import { useNow } from '@/lib/use-now.ts';
import type { OpenInvitation } from '../api/get-invitations.ts';
import { useRevokeInvitation } from '../api/manage-team.ts';
import { teamErrorMessage } from '../utils/team-error-message.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';

/** Invitations not accepted or revoked yet: pending ones (revoke) and expired ones (invite again). */
export function InvitationList({ vendorId, invitations, onInvite }: { vendorId: string; invitations: OpenInvitation[]; onInvite: () => void }) {
  const revoke = useRevokeInvitation();
  const now = useNow(60_000);
  const [revoking, setRevoking] = useState<OpenInvitation | null>(null);

  if (invitations.length === 0) {
    return (
      <EmptyState title="No open invitations">
        <p className="mt-1 text-sm text-slate-600">Invite staff or a co-owner by email; they join when they accept.</p>
        <Button variant="secondary" className="mt-4" onClick={onInvite}>
          Invite someone
        </Button>
      </EmptyState>
    );
  }
  const confirmRevoke = () => {
    if (!revoking) return;
    revoke.mutate(
      { vendorId, invitationId: revoking.id, key: newIdempotencyKey() },
      { onSuccess: () => (toast.success(`The invitation for ${revoking.email} was revoked`), setRevoking(null)) },
    );
  };

  return (
    <>
      <ul className="divide-y divide-slate-100 rounded-xl bg-white shadow-sm ring-1 ring-slate-900/5" aria-label="Invitations">
        {invitations.map((inv) => {
          const expired = Date.parse(inv.expires_at) <= now;
          return (
            <li key={inv.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
              <div className="min-w-0">
                <p className="truncate text-sm font-medium text-slate-900">{inv.email}</p>
                <p className="text-sm text-slate-600">
                  {inv.role === 'owner' ? 'Owner' : 'Staff'} ·{' '}
                  {expired ? (
                    <span className="font-medium text-amber-700">Expired: invite again for a new link</span>
                  ) : (
                    <>
                      expires <RelativeTime at={inv.expires_at} now={now} />
                    </>
                  )}
                </p>
              </div>
              <Button variant="secondary" aria-label={`Revoke the invitation for ${inv.email}`} onClick={() => (revoke.reset(), setRevoking(inv))}>
                Revoke
              </Button>
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this invitation?"
        confirmLabel="Revoke"
        pending={revoke.isPending}
        error={revoke.error ? teamErrorMessage(revoke.error) : undefined}
        onConfirm={confirmRevoke}
        onClose={() => setRevoking(null)}
      >
        The link sent to {revoking?.email} will stop working.
      </ConfirmDialog>
    </>
  );
}
