import type { ReactNode } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { PageSpinner } from '@/components/ui/spinner.tsx';
import { useViewer } from '../api/use-viewer.ts';
import { canUse, landingPath, type Area, type Viewer } from '@/lib/viewer.ts';

const whoMayUse: Record<Area, string> = {
  inventory: 'members of a vendor',
  team: 'owners of a vendor',
  admin: 'platform admins',
  cart: 'signed-in shoppers',
  orders: 'signed-in shoppers',
  shop: 'everyone',
  account: 'signed-in users',
};

/**
 * Signed-out visitors go to sign-in (which brings them back); signed-in users who may not use
 * the area are told so, with the way to their own screen. RLS refuses the data anyway.
 */
export function RequireArea({ area, children }: { area: Area; children: ReactNode | ((viewer: Viewer) => ReactNode) }) {
  const state = useViewer();
  const location = useLocation();
  if (state.status === 'pending') return <PageSpinner label="Checking your access" inline />;
  // A second factor still owed: the sign-in page asks for the code, then comes back here.
  if (state.status === 'signed-out' || state.status === 'second-factor') return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (state.status === 'error') {
    return (
      <Alert tone="error" title="Your account could not be loaded">
        <p>{state.error.message}</p>
        <Button variant="secondary" className="mt-3" onClick={state.retry}>
          Try again
        </Button>
      </Alert>
    );
  }
  if (!canUse(state.viewer, area)) {
    return (
      <section className="mx-auto max-w-lg py-16 text-center" aria-labelledby="forbidden-title">
        <p className="text-sm font-semibold text-indigo-700">403</p>
        <h1 id="forbidden-title" className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">
          You don&apos;t have access to this page
        </h1>
        <p className="mt-2 text-sm text-slate-600">This page is for {whoMayUse[area]}. You are signed in as {state.viewer.email}.</p>
        <Link to={landingPath(state.viewer)} className="mt-6 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
          Go to your start page
        </Link>
      </section>
    );
  }
  return typeof children === 'function' ? children(state.viewer) : children;
}

/** `/`: each signed-in user lands where their work is. */
export function LandingRedirect() {
  return <RequireArea area="shop">{(viewer) => <Navigate to={landingPath(viewer)} replace />}</RequireArea>;
}
