import { RequireArea } from '@/features/auth/components/require-area.tsx';
import { InventoryPage } from '@/features/inventory/components/inventory-page.tsx';

/** The vendor workspace (members only); the product drawer renders in its outlet. */
export function InventoryRoute() {
  return <RequireArea area="inventory">{(viewer) => <InventoryPage viewer={viewer} />}</RequireArea>;
}
