import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { PageSpinner } from '@/components/ui/spinner.tsx';
import { useSession } from '../api/get-session.ts';
import { needsSecondFactor } from '../utils/assurance.ts';
import { SecondFactorStep } from './second-factor-step.tsx';

/** Where a signed-in user goes from the sign-in page: back where the guard sent them from, else home. */
export function returnPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  // Only paths inside this app: "//host" would leave it.
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageSpinner label="Checking your session" />;
  // The password was right but the account has an authenticator app: its code first, then on.
  if (session.data && needsSecondFactor(session.data)) return <SecondFactorStep />;
  if (session.data) return <Navigate to={returnPath(location.state)} replace />;
  return children;
}
