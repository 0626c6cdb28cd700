import { formatCount } from '@/lib/format.ts';
import { useHealthModel } from '../api/get-health-model.ts';
import { useHealthNow } from '../api/get-health.ts';
import type { ModelRow } from '../api/rows.ts';
import { bandOf, contributions, describeAnchor, describeMeasurement, FAILING_CAP } from '../utils/health.ts';
import { formatScore } from '../utils/format-metrics.ts';
import type { DashboardRange } from '../utils/ranges.ts';
import { BandBadge } from './band-badge.tsx';
import { ErrorState, Skeleton, StaleHint } from './panel.tsx';

/** Where a component's score crosses `y` (0.8: degraded, 0.5: failing), in its unit. */
function crossing(m: ModelRow, y: number): string {
  const i = m.ys.indexOf(y);
  if (i < 0) return '–';
  const worse = m.ys[0]! < m.ys[m.ys.length - 1]! ? 'under' : 'over';
  return `${worse} ${describeAnchor(m.unit, m.xs[i]!)}`;
}

function ScoreFormula({ model }: { model: ModelRow[] }) {
  return (
    <details className="group mt-4 rounded-lg bg-slate-50 px-4 py-3 text-sm text-slate-700">
      <summary className="cursor-pointer font-medium text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600">How the score is computed</summary>
      <div className="mt-3 space-y-3">
        <p>
          <strong>Score = 100 × Σ (weight × component score) ÷ Σ weights</strong> of the components with data, over the last 5 minutes. Each
          component&apos;s score moves linearly between its anchors below. A component is healthy at 0.8 or more, degraded from 0.5, failing under 0.5;{' '}
          <strong>a failing component caps the score at {FAILING_CAP}</strong>. Bands: healthy 80–100, degraded 50–79, failing 0–49.
        </p>
        <div className="overflow-x-auto">
          <table className="min-w-full text-left text-xs">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1.5 pr-3 font-medium">Component</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Measures</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Weight</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Anchors (measurement → score)</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Degraded</th>
                <th scope="col" className="py-1.5 pr-3 font-medium">Failing</th>
                <th scope="col" className="py-1.5 font-medium">Thresholds from</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {model.map((m) => (
                <tr key={m.component} className="align-top">
                  <th scope="row" className="py-1.5 pr-3 font-medium text-slate-900">{m.label}</th>
                  <td className="py-1.5 pr-3">{m.measure}</td>
                  <td className="py-1.5 pr-3 tabular-nums">{m.weight} %</td>
                  <td className="py-1.5 pr-3 whitespace-nowrap tabular-nums">{m.xs.map((x, i) => `${describeAnchor(m.unit, x)} → ${m.ys[i]}`).join(', ')}</td>
                  <td className="py-1.5 pr-3 whitespace-nowrap">{crossing(m, 0.8)}</td>
                  <td className="py-1.5 pr-3 whitespace-nowrap">{crossing(m, 0.5)}</td>
                  <td className="py-1.5">{m.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </details>
  );
}

/** The health score now, each component's measurement, score, weight and points, and the formula. */
export function HealthSummary({ range }: { range: DashboardRange }) {
  const health = useHealthNow(range);
  const model = useHealthModel();
  const error = (health.data === undefined && health.error) || (model.data === undefined && model.error) || null;
  // null: no step at all (no row); a row whose score is null: no data in the last 5 minutes.
  const now = health.data ?? null;
  const score = now?.score ?? null;

  return (
    <section aria-labelledby="health-score-title" className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-900/5 sm:p-5">
      <h2 id="health-score-title" className="sr-only">
        Health score
      </h2>
      {error ? (
        <ErrorState error={error} onRetry={() => void Promise.all([health.refetch(), model.refetch()])} retrying={health.isFetching || model.isFetching} height={140} />
      ) : health.data === undefined || !model.data ? (
        <Skeleton height={140} label="the health score" />
      ) : (
        <>
          <div className="flex flex-col gap-5 lg:flex-row lg:items-start">
            <div className="shrink-0 lg:w-52">
              <p className="text-sm font-medium text-slate-600">Health</p>
              <p className="mt-1 flex items-baseline gap-3">
                <span className="text-5xl font-semibold tracking-tight text-slate-900 tabular-nums" data-testid="health-score">
                  {score === null ? '–' : Math.round(score)}
                </span>
                <BandBadge band={bandOf(score === null ? null : score / 100)} testId="health-band" />
              </p>
              <p className="mt-2 text-xs text-slate-600">
                Last 5 minutes · {formatCount(now?.requests ?? 0)} calls reported
                {now?.capped && <span className="block font-medium text-red-800">Capped at {FAILING_CAP}: a component is failing.</span>}
              </p>
              {score === null && <p className="mt-2 text-xs text-slate-600">No data yet: open the shop or run the simulator, and check the maintenance job runs.</p>}
            </div>
            <ul className="grid flex-1 grid-cols-1 gap-2 sm:grid-cols-2 xl:grid-cols-5" aria-label="Score components">
              {contributions(now, model.data).map((c) => (
                <li key={c.component} className="rounded-lg bg-slate-50 px-3 py-2.5" data-testid={`component-${c.component}`}>
                  <div className="flex items-center justify-between gap-2">
                    <span className="text-sm font-medium text-slate-900">{c.label}</span>
                    <BandBadge band={c.band} />
                  </div>
                  <p className="mt-1 text-sm text-slate-700 tabular-nums">{describeMeasurement(c.component, c.value)}</p>
                  <p className="mt-0.5 text-xs text-slate-600 tabular-nums" title="component score × weight = points of the score">
                    {formatScore(c.score)} × {c.weight} % {c.points !== null && <>= {c.points.toFixed(1)} pts</>}
                  </p>
                </li>
              ))}
            </ul>
          </div>
          <StaleHint error={health.isRefetchError ? health.error : null} />
          <ScoreFormula model={model.data} />
        </>
      )}
    </section>
  );
}
