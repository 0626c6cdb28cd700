import { lazy, Suspense } from 'react';
import { PageSpinner } from '@/components/ui/spinner.tsx';
import { RequireArea } from '@/features/auth/components/require-area.tsx';
import { FactorRecovery } from '@/features/admin/components/factor-recovery.tsx';

// The dashboard and its charts are a chunk of their own, fetched only when an admin opens it.
const AdminDashboard = lazy(() => import('@/features/admin/components/admin-dashboard.tsx'));

/** Platform health, for platform admins only (RLS and the functions refuse everyone else anyway). */
export function AdminRoute() {
  return (
    <RequireArea area="admin">
      <div className="space-y-5">
        <Suspense fallback={<PageSpinner label="Loading the dashboard" inline />}>
          <AdminDashboard />
        </Suspense>
        <FactorRecovery />
      </div>
    </RequireArea>
  );
}
