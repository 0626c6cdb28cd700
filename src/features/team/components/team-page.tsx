import { useState } from 'react';
import { UserPlus } from 'lucide-react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '@/components/ui/button.tsx';
import { LoadError } from '@/components/ui/query-states.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import type { Membership, Viewer } from '@/lib/viewer.ts';
import { useOpenInvitations } from '../api/get-invitations.ts';
import { useMembers } from '../api/get-members.ts';
import { InvitationList } from './invitation-list.tsx';
import { InviteDialog } from './invite-dialog.tsx';
import { MemberList } from './member-list.tsx';
import { MfaRequirement } from './mfa-requirement.tsx';

/** `?vendor=` when the viewer belongs to it, else their first vendor they own, else their first. */
function useActiveMembership(viewer: Viewer): Membership {
  const [params] = useSearchParams();
  const wanted = params.get('vendor');
  return (
    viewer.memberships.find((m) => m.vendorId === wanted) ?? viewer.memberships.find((m) => m.role === 'owner') ?? viewer.memberships[0]!
  );
}

function OwnersOnly({ membership }: { membership: Membership }) {
  return (
    <section className="mx-auto max-w-lg py-16 text-center" aria-labelledby="owners-only-title">
      <h1 id="owners-only-title" className="text-2xl font-semibold tracking-tight text-slate-900">
        Only owners manage the team
      </h1>
      <p className="mt-2 text-sm text-slate-600">
        You are staff at {membership.vendorName}: you can move stock, but inviting people and changing roles is for its owners. Ask an owner if
        something about the team needs to change.
      </p>
      <Link to={`/inventory?vendor=${membership.vendorId}`} className="mt-6 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
        Back to the inventory
      </Link>
    </section>
  );
}

/** Owners: the members (role, remove), open invitations (revoke) and a new invitation. */
export function TeamPage({ viewer }: { viewer: Viewer }) {
  const membership = useActiveMembership(viewer);
  if (membership.role !== 'owner') return <OwnersOnly membership={membership} />;
  return <OwnerTeam viewer={viewer} membership={membership} />;
}

function OwnerTeam({ viewer, membership }: { viewer: Viewer; membership: Membership }) {
  const { vendorId, vendorName } = membership;
  const members = useMembers(vendorId);
  const invitations = useOpenInvitations(vendorId);
  const [inviting, setInviting] = useState(false);

  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div className="min-w-0">
          <h1 className="truncate text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">
            {vendorName} <span className="font-normal text-slate-500">· Team</span>
          </h1>
          <p className="mt-0.5 text-sm text-slate-600">Owners manage stock and the team; staff manage stock.</p>
        </div>
        <Button onClick={() => setInviting(true)}>
          <UserPlus className="size-4" aria-hidden="true" />
          Invite someone
        </Button>
      </div>

      <section aria-labelledby="members-title" className="space-y-3">
        <h2 id="members-title" className="text-base font-semibold text-slate-900">
          Members {members.data && <span className="font-normal text-slate-500">({members.data.length})</span>}
        </h2>
        {members.data ? (
          <MemberList vendorId={vendorId} vendorName={vendorName} members={members.data} viewerId={viewer.userId} />
        ) : members.isError ? (
          <LoadError title="The team could not be loaded" error={members.error} retrying={members.isFetching} onRetry={() => void members.refetch()} />
        ) : (
          <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
            <Spinner /> Loading the team…
          </p>
        )}
      </section>

      <section aria-labelledby="invitations-title" className="space-y-3">
        <h2 id="invitations-title" className="text-base font-semibold text-slate-900">
          Invitations
        </h2>
        {invitations.data ? (
          <InvitationList vendorId={vendorId} invitations={invitations.data} onInvite={() => setInviting(true)} />
        ) : invitations.isError ? (
          <LoadError title="Invitations could not be loaded" error={invitations.error} retrying={invitations.isFetching} onRetry={() => void invitations.refetch()} />
        ) : (
          <p className="flex items-center gap-2 text-sm text-slate-600" role="status">
            <Spinner /> Loading invitations…
          </p>
        )}
        <p className="text-sm text-slate-600">
          An invitation link is shown once, when you create it: send it to the person yourself. It works once, for the invited email, for 7 days.
          Lost it? Invite the same email again; the old link stops working.
        </p>
      </section>

      <MfaRequirement membership={membership} />

      <InviteDialog open={inviting} onClose={() => setInviting(false)} vendorId={vendorId} vendorName={vendorName} />
    </div>
  );
}
