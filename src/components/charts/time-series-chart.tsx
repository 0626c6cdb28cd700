import { CartesianGrid, ComposedChart, Legend, Line, Area, ResponsiveContainer, Tooltip, XAxis, YAxis, type DotItemDotProps, type TooltipContentProps } from 'recharts';

// A time series chart for dashboards: props in, no fetching. Loaded lazily (React.lazy) by the
// pages that chart, so recharts never weighs on the initial bundle of other routes.

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  kind?: 'line' | 'area';
  axis?: 'left' | 'right';
  dashed?: boolean;
}

export type ChartPoint = { t: number } & Record<string, number | null>;

export interface TimeSeriesChartProps {
  data: ChartPoint[];
  series: ChartSeries[];
  /** Axis figures (short) and tooltip figures (exact), per axis. */
  formatAxis: (value: number, axis: 'left' | 'right') => string;
  formatExact: (value: number, key: string) => string;
  formatTime: (t: number) => string;
  /** "14:05 – 14:06" for a point's step in the tooltip. */
  formatStep: (t: number) => string;
  /** Fixed vertical domains (e.g. [0, 1] for ratios); else from the data. */
  leftDomain?: AxisDomain;
  rightDomain?: AxisDomain;
  height?: number;
}

function StepTooltip({ active, payload, label, series, formatExact, formatStep }: Pick<TooltipContentProps<number, string>, 'active' | 'payload' | 'label'> & Pick<TimeSeriesChartProps, 'series' | 'formatExact' | 'formatStep'>) {
  if (!active || !payload?.length || typeof label !== 'number') return null;
  return (
    <div className="rounded-lg bg-white px-3 py-2 text-xs shadow-lg ring-1 ring-slate-900/10">
      <p className="font-medium text-slate-900 tabular-nums">{formatStep(label)}</p>
      <dl className="mt-1 space-y-0.5">
        {series.map((s) => {
          const value = payload.find((p) => p.dataKey === s.key)?.value;
          return (
            <div key={s.key} className="flex items-center justify-between gap-4">
              <dt className="flex items-center gap-1.5 text-slate-600">
                <span className="inline-block size-2 rounded-full" style={{ backgroundColor: s.color }} aria-hidden="true" />
                {s.label}
              </dt>
              <dd className="font-medium text-slate-900 tabular-nums">{typeof value === 'number' ? formatExact(value, s.key) : 'no data'}</dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}

/** Each series of a chart its own line pattern (solid, dashed, dotted, dash-dot), so colour is never the only difference. */
const DASHES = [undefined, '6 3', '2 3', '10 3 2 3', '4 4'] as const;

const quietAxis = { tick: { fontSize: 11, fill: '#64748b' }, tickLine: false, axisLine: false } as const;

/** A value with no value on either side: a line cannot show it, a dot does. */
function isolated(data: ChartPoint[], index: number, key: string): boolean {
  const has = (i: number) => data[i]?.[key] !== null && data[i]?.[key] !== undefined;
  return has(index) && !has(index - 1) && !has(index + 1);
}

export type AxisDomain = [number | 'auto' | ((dataMax: number) => number), number | 'auto' | ((dataMax: number) => number)];

export default function TimeSeriesChart({ data, series, formatAxis, formatExact, formatTime, formatStep, leftDomain, rightDomain, height = 220 }: TimeSeriesChartProps) {
  const hasRight = series.some((s) => s.axis === 'right');
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: hasRight ? 0 : 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={formatTime}
          tick={{ fontSize: 11, fill: '#64748b' }}
          tickLine={false}
          axisLine={{ stroke: '#cbd5e1' }}
          minTickGap={24}
        />
        <YAxis yAxisId="left" domain={leftDomain ?? [0, 'auto']} tickFormatter={(v: number) => formatAxis(v, 'left')} width={64} {...quietAxis} />
        {hasRight && (
          <YAxis yAxisId="right" orientation="right" domain={rightDomain ?? [0, 'auto']} tickFormatter={(v: number) => formatAxis(v, 'right')} width={56} {...quietAxis} />
        )}
        <Tooltip isAnimationActive={false} content={({ active, payload, label }) => <StepTooltip active={active} payload={payload as TooltipContentProps<number, string>['payload']} label={label} series={series} formatExact={formatExact} formatStep={formatStep} />} />
        {/* recharts colours each label like its line, and the light series would fail text contrast: the line keeps the colour. */}
        <Legend iconType="plainline" wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span className="text-slate-600">{value}</span>} />
        {series.map((s, index) => {
          const common = { yAxisId: s.axis ?? 'left', dataKey: s.key, name: s.label, type: 'monotone', stroke: s.color, isAnimationActive: false, connectNulls: false } as const;
          return s.kind === 'area' ? (
            <Area key={s.key} {...common} fill={s.color} fillOpacity={0.12} strokeWidth={1.5} />
          ) : (
            <Line
              key={s.key}
              {...common}
              strokeWidth={1.75}
              strokeDasharray={DASHES[index % DASHES.length]}
              dot={({ cx, cy, index }: DotItemDotProps) =>
                data.length <= 20 || isolated(data, index, s.key) ? <circle key={index} cx={cx} cy={cy} r={2.5} fill={s.color} /> : <g key={index} />
              }
            />
          );
        })}
      </ComposedChart>
    </ResponsiveContainer>
  );
}
