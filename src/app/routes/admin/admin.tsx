import { RequireArea } from '@/features/auth/components/require-area.tsx';

/** Platform health for admins; the monitoring view fills this page. */
export function AdminRoute() {
  return (
    <RequireArea area="admin">
      <section className="space-y-2" aria-labelledby="admin-title">
        <h1 id="admin-title" className="text-2xl font-semibold tracking-tight text-slate-900">
          Platform health
        </h1>
        <p className="text-sm text-slate-600">The health score and the latency, error, cache and realtime charts will appear here.</p>
      </section>
    </RequireArea>
  );
}
