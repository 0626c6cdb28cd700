import { useSession } from './get-session.ts';
import { useMemberships } from './get-memberships.ts';
import { viewerOf, type Viewer } from '@/lib/viewer.ts';
import { needsSecondFactor } from '../utils/assurance.ts';

export type ViewerState =
  | { status: 'pending' }
  | { status: 'signed-out' }
  /** Signed in with the password, but the account has a verified factor and its code is still owed. */
  | { status: 'second-factor' }
  | { status: 'error'; error: Error; retry: () => void }
  | { status: 'signed-in'; viewer: Viewer };

/** The session and the user's vendor memberships, resolved together: routes and navigation decide on both. */
export function useViewer(): ViewerState {
  const session = useSession();
  const owesCode = needsSecondFactor(session.data ?? null);
  const memberships = useMemberships(owesCode ? undefined : session.data?.user.id);
  if (session.isPending) return { status: 'pending' };
  if (!session.data) return { status: 'signed-out' };
  if (owesCode) return { status: 'second-factor' };
  // Data kept from an earlier read still decides while a background refetch fails.
  if (memberships.data) return { status: 'signed-in', viewer: viewerOf(session.data, memberships.data) };
  if (memberships.isError) return { status: 'error', error: memberships.error, retry: () => void memberships.refetch() };
  return { status: 'pending' };
}
