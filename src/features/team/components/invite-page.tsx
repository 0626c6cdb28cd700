import { useEffect, useRef } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Card } from '@/components/ui/card.tsx';
import { PageSpinner } from '@/components/ui/spinner.tsx';
import { useSession } from '@/features/auth/api/get-session.ts';
import { useSignOut } from '@/features/auth/api/sign-out.ts';
import { useIntentKey } from '@/lib/idempotency-key.ts';
import { formatDateTime } from '@/lib/format.ts';
import { toast } from '@/lib/toast.ts';
import { useAcceptInvitation, useInvitation, type InvitationDetails } from '../api/invitation.ts';
import { teamErrorMessage } from '../utils/team-error-message.ts';

const linkClass = 'font-semibold text-indigo-700 hover:text-indigo-600';

/** A card with a heading that takes focus when the state changes, so screen readers hear what happened. */
function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [title]);
  return (
    <div className="mx-auto max-w-md py-8 sm:py-16">
      <Card className="space-y-4">
        <h1 ref={heading} tabIndex={-1} className="text-xl font-semibold tracking-tight text-slate-900 focus:outline-none">
          {title}
        </h1>
        {children}
      </Card>
    </div>
  );
}

/** `/invite/:token`: sign in (or up) and come back, see which vendor and role, accept. */
export function InvitePage({ token }: { token: string }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageSpinner label="Checking your session" inline />;
  if (!session.data) {
    // Sign-in and sign-up bring the user back here (their `from` state).
    const from = { from: location.pathname };
    return (
      <Panel title="You're invited to join a team">
        <p className="text-sm text-slate-600">
          Sign in, or create an account, with the email address this invitation was sent to. You will come back here to accept it.
        </p>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Link to="/sign-up" state={from} className="inline-flex items-center justify-center rounded-lg bg-indigo-600 px-3.5 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
            Create an account
          </Link>
          <Link to="/sign-in" state={from} className="inline-flex items-center justify-center rounded-lg bg-white px-3.5 py-2.5 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
            Sign in
          </Link>
        </div>
      </Panel>
    );
  }
  return <SignedInInvite token={token} email={session.data.user.email ?? ''} />;
}

function SignedInInvite({ token, email }: { token: string; email: string }) {
  const invitation = useInvitation(token, true);
  if (invitation.isPending) return <PageSpinner label="Opening the invitation" inline />;
  if (invitation.isError) {
    const code = (invitation.error as { code?: string }).code;
    return (
      <Panel title={code === 'invitation_not_found' ? 'This invitation link is not valid' : 'The invitation could not be opened'}>
        <p className="text-sm text-slate-600">{teamErrorMessage(invitation.error)}</p>
        {code !== 'invitation_not_found' && (
          <Button variant="secondary" loading={invitation.isFetching} onClick={() => void invitation.refetch()}>
            Try again
          </Button>
        )}
        <Link to="/" className={`block text-sm ${linkClass}`}>
          Go to your start page
        </Link>
      </Panel>
    );
  }
  return <InvitationState token={token} email={email} details={invitation.data} />;
}

function InvitationState({ token, email, details }: { token: string; email: string; details: InvitationDetails }) {
  const accept = useAcceptInvitation();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const intent = useIntentKey([token]);
  const role = details.role === 'owner' ? 'an owner' : 'staff';
  const inventory = `/inventory?vendor=${details.vendor_id}`;

  if (details.already_member) {
    return (
      <Panel title={`You're a member of ${details.vendor_name}`}>
        <p className="text-sm text-slate-600">{details.status === 'accepted' ? 'This invitation has been accepted.' : 'You are already on this team.'}</p>
        <Link to={inventory} className={`block text-sm ${linkClass}`}>
          Open the inventory
        </Link>
      </Panel>
    );
  }
  if (details.status !== 'pending') {
    const title = { accepted: 'This invitation was already used', revoked: 'This invitation was withdrawn', expired: 'This invitation has expired' }[details.status] ?? 'This invitation cannot be used';
    return (
      <Panel title={title}>
        <p className="text-sm text-slate-600">
          {details.status === 'expired' ? `It expired on ${formatDateTime(details.expires_at)}. ` : ''}
          Ask an owner of {details.vendor_name} to invite you again; the new link will work.
        </p>
        <Link to="/" className={`block text-sm ${linkClass}`}>
          Go to your start page
        </Link>
      </Panel>
    );
  }
  if (!details.email_matches) {
    return (
      <Panel title="This invitation is for another email">
        <p className="text-sm text-slate-600">
          {details.vendor_name} invited <strong>{details.email}</strong>; you are signed in as <strong>{email}</strong>. Sign out, then sign in or
          create an account with the invited email and open this link again.
        </p>
        <Button variant="secondary" loading={signOut.isPending} onClick={() => signOut.mutate()}>
          Sign out
        </Button>
      </Panel>
    );
  }
  if (!details.email_verified) {
    return (
      <Panel title="Confirm your email first">
        <p className="text-sm text-slate-600">Follow the confirmation link we emailed to {email}, then open this invitation again.</p>
      </Panel>
    );
  }
  const onAccept = () =>
    accept.mutate(
      { token, key: intent.key },
      {
        onSuccess: (joined) => {
          toast.success(`You joined ${joined.vendor_name}`);
          void navigate(`/inventory?vendor=${joined.vendor_id}`, { replace: true });
        },
      },
    );
  return (
    <Panel title={`Join ${details.vendor_name}`}>
      <p className="text-sm text-slate-600">
        You are invited to join <strong>{details.vendor_name}</strong> as {role}.{' '}
        {details.role === 'owner' ? 'Owners manage stock and the team.' : 'Staff see and change the stock; owners manage the team.'} The invitation
        expires on {formatDateTime(details.expires_at)}.
      </p>
      {accept.error && <Alert tone="error">{teamErrorMessage(accept.error)}</Alert>}
      <Button className="w-full" loading={accept.isPending} onClick={onAccept}>
        Accept invitation
      </Button>
    </Panel>
  );
}
