import { useServerClock } from '../api/get-server-clock.ts';
import { useRealtimeCanary } from '../api/use-realtime-canary.ts';
import { useDashboardRange } from '../hooks/use-dashboard-range.ts';
import { CacheChart, HealthChart, LatencyChart, LedgerChart, RealtimeChart, RejectionsChart, SaturationChart, ThroughputChart } from './dashboard-charts.tsx';
import { AlertRules, RecentErrors, SlowestOperations, TopStatements, VendorBreakdown } from './dashboard-tables.tsx';
import { DashboardToolbar } from './dashboard-toolbar.tsx';
import { HealthSummary } from './health-summary.tsx';

/**
 * The admin monitoring dashboard: what users experience (from their browsers' telemetry), the
 * database's health (sampled by the maintenance job), realtime lag (the canary, timed here on
 * the server's clock), the ledger. Loaded lazily with its charts.
 */
export default function AdminDashboard() {
  const [range, rangeChanged] = useDashboardRange();
  useServerClock();
  useRealtimeCanary();

  return (
    <div className="space-y-5">
      <div className="flex flex-col gap-3 lg:flex-row lg:items-end lg:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Platform health</h1>
          <p className="mt-1 text-sm text-slate-600">What shoppers and vendors experience, measured in their browsers, with the database behind it.</p>
        </div>
        <DashboardToolbar range={range} onRangeChange={rangeChanged} />
      </div>
      <HealthSummary range={range} />
      <div className="grid gap-4 lg:grid-cols-2 2xl:grid-cols-3">
        <LatencyChart range={range} />
        <ThroughputChart range={range} />
        <CacheChart range={range} />
        <RealtimeChart range={range} />
        <SaturationChart range={range} />
        <HealthChart range={range} />
        <LedgerChart range={range} />
        <RejectionsChart range={range} />
      </div>
      <div className="grid gap-4 xl:grid-cols-2">
        <AlertRules range={range} />
        <SlowestOperations range={range} />
        <RecentErrors range={range} />
        <VendorBreakdown range={range} />
        <TopStatements range={range} />
      </div>
    </div>
  );
}
