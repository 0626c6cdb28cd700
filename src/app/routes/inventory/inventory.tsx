import { RequireArea } from '@/features/auth/components/require-area.tsx';
import { InventoryPage } from '@/features/inventory/components/inventory-page.tsx';
import { MfaGate } from '@/features/team/components/mfa-gate.tsx';

/** The vendor workspace (members only); the product drawer renders in its outlet. */
export function InventoryRoute() {
  return <RequireArea area="inventory">{(viewer) => <MfaGate viewer={viewer}><InventoryPage viewer={viewer} /></MfaGate>}</RequireArea>;
}
