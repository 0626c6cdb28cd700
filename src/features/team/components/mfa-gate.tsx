import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Card } from '@/components/ui/card.tsx';
import { useSession } from '@/features/auth/api/get-session.ts';
import type { Viewer } from '@/lib/viewer.ts';
import { sessionAal } from '../utils/session-aal.ts';

/**
 * The vendor pages of a team whose owners require two-factor: from a session without it (aal1)
 * the database refuses the vendor's data, so say why and what to do instead of showing errors.
 */
export function MfaGate({ viewer, preferOwned = false, children }: { viewer: Viewer; preferOwned?: boolean; children: ReactNode }) {
  const session = useSession();
  const [params] = useSearchParams();
  const wanted = params.get('vendor');
  // The vendor the page below shows: `?vendor=`, else (the team page) the first one owned, else the first.
  const membership =
    viewer.memberships.find((m) => m.vendorId === wanted) ?? (preferOwned ? viewer.memberships.find((m) => m.role === 'owner') : undefined) ?? viewer.memberships[0];
  if (!membership?.requireMfa || sessionAal(session.data) === 'aal2') return children;
  return (
    <div className="mx-auto max-w-md py-8 sm:py-16">
      <Card className="space-y-3">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">{membership.vendorName} requires two-factor authentication</h1>
        <p className="text-sm text-slate-600">
          Its owners asked every member to confirm sign-in with an authenticator app. Set up two-factor in your account if you have not yet, then
          sign out and sign in again with your code.
        </p>
        <Link to="/account" className="inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
          Set up two-factor in your account
        </Link>
      </Card>
    </div>
  );
}
