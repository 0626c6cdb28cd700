import { RequireArea } from '@/features/auth/components/require-area.tsx';
import { MfaGate } from '@/features/team/components/mfa-gate.tsx';
import { TeamPage } from '@/features/team/components/team-page.tsx';

/** A vendor's team: owners manage it; staff are told it is for owners. */
export function TeamRoute() {
  return <RequireArea area="inventory">{(viewer) => <MfaGate viewer={viewer} preferOwned><TeamPage viewer={viewer} /></MfaGate>}</RequireArea>;
}
