import { lazy, Suspense, useId, type ReactNode } from 'react';
import { Download } from 'lucide-react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Button } from '@/components/ui/button.tsx';
import type { AxisDomain, ChartPoint, ChartSeries } from '@/components/charts/time-series-chart.tsx';
import { useSeen } from '../hooks/use-seen.ts';
import { describeSeries, summarizeSeries } from '../utils/chart-summary.ts';
import { downloadCsv, toCsv } from '../utils/csv.ts';
import { formatMetric, formatStepTime, type Unit } from '../utils/format-metrics.ts';
import { RANGES, type DashboardRange } from '../utils/ranges.ts';
import { EmptyState, ErrorState, Panel, Skeleton, StaleHint } from './panel.tsx';

// recharts loads with the first chart, in its own chunk: never in another route's bundle.
const TimeSeriesChart = lazy(() => import('@/components/charts/time-series-chart.tsx'));

export interface UnitSeries extends ChartSeries {
  unit: Unit;
}

/** The state of the reads a chart is drawn from. */
export interface ChartSource {
  pending: boolean;
  error: Error | null;
  /** A later refresh failed while data is shown. */
  refreshError: Error | null;
  fetching: boolean;
  retry: () => void;
}

export function sourceOf(...queries: Array<UseQueryResult<unknown>>): ChartSource {
  const withoutData = queries.find((q) => q.data === undefined && q.isError);
  return {
    pending: queries.some((q) => q.data === undefined && !q.isError),
    error: withoutData?.error ?? null,
    refreshError: queries.find((q) => q.isRefetchError)?.error ?? null,
    fetching: queries.some((q) => q.isFetching),
    retry: () => queries.forEach((q) => void q.refetch()),
  };
}

const hasData = (points: ChartPoint[], series: UnitSeries[]) => points.some((p) => series.some((s) => p[s.key] !== null && p[s.key] !== undefined && p[s.key] !== 0));

export interface ChartCardProps {
  slug: string;
  title: string;
  range: DashboardRange;
  source: ChartSource;
  points: ChartPoint[] | undefined;
  series: UnitSeries[];
  /** The main figure now, for the header ("p95 42 ms"). */
  headline?: (points: ChartPoint[]) => string | null;
  leftDomain?: AxisDomain;
  rightDomain?: AxisDomain;
  /** What to do when there is nothing to chart yet. */
  empty: ReactNode;
  footer?: ReactNode;
}

/**
 * A chart panel: the title says what and over which range, the axes carry units, the tooltip the
 * exact figures of a step, "Download CSV" its data; skeleton, error (with retry) and empty states.
 */
export function ChartCard({ slug, title, range, source, points, series, headline, leftDomain, rightDomain, empty, footer }: ChartCardProps) {
  const spec = RANGES[range];
  const unitOf = (axis: 'left' | 'right') => series.find((s) => (s.axis ?? 'left') === axis)?.unit ?? 'count';
  const unitByKey = Object.fromEntries(series.map((s) => [s.key, s.unit]));
  const withDate = range === '24h';
  const stepMs = spec.stepSeconds * 1000;
  const formatStep = (t: number) => `${formatStepTime(t, withDate)} – ${formatStepTime(t + stepMs)}`;
  const download = () => {
    if (!points) return;
    const csv = toCsv(points, [
      { header: 'step_start', value: (p) => new Date(p.t).toISOString() },
      { header: 'step_end', value: (p) => new Date(p.t + stepMs).toISOString() },
      ...series.map((s) => ({ header: `${s.label} (${s.unit})`, value: (p: ChartPoint) => p[s.key] ?? null })),
    ]);
    downloadCsv(`${slug}-${range}-${new Date().toISOString().slice(0, 16).replace(':', '')}.csv`, csv);
  };
  const now = points && headline ? headline(points) : null;
  const [placeholder, seen] = useSeen<HTMLDivElement>();
  const summaryId = useId();
  const summary = points ? series.map((s) => describeSeries(s.label, summarizeSeries(points, s.key), (v) => formatMetric(v, s.unit))) : [];

  return (
    <Panel
      id={slug}
      title={`${title} · ${spec.phrase}`}
      subtitle={now ? <span className="font-medium text-slate-700 tabular-nums" data-testid={`headline-${slug}`}>{now}</span> : null}
      actions={
        <Button variant="ghost" className="px-2 py-1 text-xs" onClick={download} disabled={!points || points.length === 0}>
          <Download className="size-3.5" aria-hidden="true" />
          Download CSV
        </Button>
      }
    >
      {source.error ? (
        <ErrorState error={source.error} onRetry={source.retry} retrying={source.fetching} />
      ) : source.pending || !points ? (
        <Skeleton label={title} />
      ) : !hasData(points, series) ? (
        <EmptyState>{empty}</EmptyState>
      ) : !seen ? (
        <div ref={placeholder}>
          <Skeleton label={title} />
        </div>
      ) : (
        <Suspense fallback={<Skeleton label={title} />}>
          <figure aria-label={`${title} over the ${spec.phrase}${now ? `; now ${now}` : ''}`} aria-describedby={summaryId} data-testid={`chart-${slug}`} data-points={points.length}>
            <TimeSeriesChart
              data={points}
              series={series}
              formatAxis={(v, axis) => formatMetric(v, unitOf(axis))}
              formatExact={(v, key) => formatMetric(v, unitByKey[key] ?? 'count', true)}
              formatTime={(t) => formatStepTime(t)}
              formatStep={formatStep}
              {...(leftDomain && { leftDomain })}
              {...(rightDomain && { rightDomain })}
            />
          </figure>
        </Suspense>
      )}
      {points && hasData(points, series) && !source.error && (
        <ChartText id={summaryId} slug={slug} title={title} phrase={spec.phrase} points={points} series={series} summary={summary} formatStep={formatStep} />
      )}
      <StaleHint error={source.refreshError} />
      {footer}
    </Panel>
  );
}

/**
 * The chart as text: a one-line summary per series (latest, lowest, highest, trend), which the
 * figure is described by, and every step as a table in a disclosure.
 */
function ChartText({ id, slug, title, phrase, points, series, summary, formatStep }: { id: string; slug: string; title: string; phrase: string; points: ChartPoint[]; series: UnitSeries[]; summary: string[]; formatStep: (t: number) => string }) {
  return (
    <details className="mt-2 text-xs text-slate-700" data-testid={`chart-text-${slug}`}>
      <summary className="w-fit cursor-pointer rounded font-medium text-indigo-700 hover:text-indigo-600">Summary and data table</summary>
      <ul id={id} className="mt-2 space-y-0.5" data-testid={`chart-summary-${slug}`}>
        {summary.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div className="mt-2 max-h-64 overflow-auto" tabIndex={0} role="region" aria-label={`${title} data`}>
        <table className="w-full text-left tabular-nums">
          <caption className="sr-only">
            {title} over the {phrase}, one row per step
          </caption>
          <thead className="sticky top-0 bg-white text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">
                Step
              </th>
              {series.map((s) => (
                <th key={s.key} scope="col" className="py-1 pr-3 font-medium">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.t} className="border-t border-slate-100">
                <th scope="row" className="py-1 pr-3 font-normal whitespace-nowrap">
                  {formatStep(p.t)}
                </th>
                {series.map((s) => (
                  <td key={s.key} className="py-1 pr-3">
                    {p[s.key] === null || p[s.key] === undefined ? '–' : formatMetric(p[s.key], s.unit, true)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
