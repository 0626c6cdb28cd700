import { RequireArea } from '@/features/auth/components/require-area.tsx';

export function InventoryRoute() {
  return (
    <RequireArea area="inventory">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Inventory</h1>
    </RequireArea>
  );
}
