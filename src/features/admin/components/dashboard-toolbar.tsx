import { Radio, RadioGroup } from '@headlessui/react';
import { Pause, Play } from 'lucide-react';
import { useQueryClient } from '@tanstack/react-query';
import { cn } from '@/lib/cn.ts';
import { formatDateTime, formatRelative } from '@/lib/format.ts';
import { useNow } from '@/lib/use-now.ts';
import { useMonitoringView } from '@/stores/monitoring-view.ts';
import { monitoringKeys } from '../api/keys.ts';
import { RANGES, type DashboardRange } from '../utils/ranges.ts';

const segment = 'inline-flex items-center gap-1.5 px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

/** Range (15 min, 1 h, 24 h), live or paused, and when the figures were last refreshed. */
export function DashboardToolbar({ range, onRangeChange }: { range: DashboardRange; onRangeChange: (range: DashboardRange) => void }) {
  const paused = useMonitoringView((s) => s.paused);
  const pausedAt = useMonitoringView((s) => s.pausedAt);
  const pauseToggled = useMonitoringView((s) => s.pauseToggled);
  const queryClient = useQueryClient();
  const now = useNow(1000);
  const updatedAt = Math.max(0, ...queryClient.getQueryCache().findAll({ queryKey: monitoringKeys.series() }).map((q) => q.state.dataUpdatedAt));

  return (
    <div className="flex flex-wrap items-center gap-3">
      <RadioGroup value={range} onChange={onRangeChange} aria-label="Time range" className="inline-flex overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-300">
        {(Object.keys(RANGES) as DashboardRange[]).map((r) => (
          <Radio key={r} value={r} className={cn(segment, 'cursor-pointer text-slate-700 data-checked:bg-indigo-600 data-checked:text-white data-hover:not-data-checked:bg-slate-50')}>
            {RANGES[r].label}
          </Radio>
        ))}
      </RadioGroup>
      <div className="inline-flex overflow-hidden rounded-lg bg-white shadow-sm ring-1 ring-slate-300" role="group" aria-label="Refresh">
        <button type="button" aria-pressed={!paused} onClick={paused ? pauseToggled : undefined} className={cn(segment, !paused ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-50')}>
          {paused ? <Play className="size-3.5" aria-hidden="true" /> : <span className="size-2 rounded-full bg-emerald-400" aria-hidden="true" />}
          Live
        </button>
        <button type="button" aria-pressed={paused} onClick={paused ? undefined : pauseToggled} className={cn(segment, paused ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-50')}>
          <Pause className="size-3.5" aria-hidden="true" />
          Pause
        </button>
      </div>
      <p className="text-xs text-slate-600 tabular-nums" role="status" data-testid="refresh-status">
        {paused && pausedAt !== null ? (
          <span title={formatDateTime(pausedAt)}>Paused {formatRelative(pausedAt, now)}: figures frozen</span>
        ) : updatedAt > 0 ? (
          <span title={formatDateTime(updatedAt)}>Updated {formatRelative(updatedAt, now)} · every {RANGES[range].refreshMs / 1000} s</span>
        ) : (
          'Loading…'
        )}
      </p>
    </div>
  );
}
