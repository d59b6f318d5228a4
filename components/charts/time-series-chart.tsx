"use client";

import { Area, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCompact, formatTime, isMeasured } from "@/components/ui/format";
import { chartChrome, colourAt } from "./palette";

export interface ChartSeries {
  key: string;
  label: string;
  values: (number | null)[];
  kind?: "line" | "area";
  /** Areas with the same stack id are stacked. */
  stack?: string;
  colour?: string;
  dashed?: boolean;
}

/** A dashed horizontal line (a capacity, a threshold); its label is listed under the chart, not drawn over the data. */
export interface ChartReference {
  y: number;
  label: string;
  colour: string;
}

/**
 * Time on x (UTC), one unit on y. Unmeasured points (NaN, null) are gaps, not
 * zeros. Wrapped in a figure whose label and caption say what it shows, for
 * screen readers and for anyone the colours fail.
 */
export function TimeSeriesChart({
  title,
  summary,
  timestamps,
  series,
  formatValue,
  formatTick = formatCompact,
  references = [],
  height = 220,
  yMax,
  withDay = false,
}: {
  title: string;
  summary: string;
  timestamps: number[];
  series: ChartSeries[];
  formatValue: (value: number) => string;
  /** Axis ticks: short numbers; the unit goes in the panel title and the tooltip. */
  formatTick?: (value: number) => string;
  references?: ChartReference[];
  height?: number;
  yMax?: number;
  withDay?: boolean;
}) {
  const rows = timestamps.map((t, i) => {
    const row: Record<string, number | null> = { t };
    for (const s of series) row[s.key] = isMeasured(s.values[i]) ? s.values[i]! : null;
    return row;
  });
  return (
    <figure aria-label={title} className="m-0">
      <figcaption className="sr-only">{summary}</figcaption>
      <div style={{ height }} className="text-[11px] text-muted">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={chartChrome.margin}>
            <CartesianGrid {...chartChrome.grid} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={(t: number) => formatTime(t, withDay)}
              {...chartChrome.axis}
              minTickGap={36}
            />
            <YAxis
              tickFormatter={(v: number) => formatTick(v)}
              {...chartChrome.axis}
              width={44}
              domain={[0, yMax ?? "auto"]}
              allowDataOverflow={yMax !== undefined}
            />
            <Tooltip
              itemSorter="dataKey"
              labelFormatter={(t) => `${formatTime(Number(t), true)} UTC`}
              formatter={(value, name) => [isMeasured(value as number) ? formatValue(value as number) : "—", name]}
              contentStyle={chartChrome.tooltip}
              labelStyle={chartChrome.tooltipLabel}
              itemStyle={{ padding: 0 }}
            />
            <Legend
              wrapperStyle={{ fontSize: 12 }}
              iconSize={10}
              itemSorter={null}
              formatter={(value) => <span style={{ color: "var(--text)" }}>{value}</span>}
            />
            {series.map((s, i) => {
              const colour = s.colour ?? colourAt(i);
              return s.kind === "area" ? (
                <Area
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  stackId={s.stack}
                  type="stepAfter"
                  stroke={colour}
                  fill={colour}
                  fillOpacity={0.55}
                  strokeWidth={1}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ) : (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  type="monotone"
                  stroke={colour}
                  strokeWidth={1.5}
                  strokeDasharray={s.dashed ? "4 3" : undefined}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              );
            })}
            {references.map((r) => (
              <ReferenceLine key={r.label} y={r.y} stroke={r.colour} strokeDasharray="6 3" strokeWidth={1.5} ifOverflow="extendDomain" />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      {references.length ? (
        <ul className="mt-1 flex flex-wrap justify-center gap-x-4 text-xs text-muted">
          {references.map((r) => (
            <li key={r.label} className="flex items-center gap-1.5">
              <svg width="18" height="6" aria-hidden>
                <line x1="0" x2="18" y1="3" y2="3" stroke={r.colour} strokeWidth="1.5" strokeDasharray="6 3" />
              </svg>
              {r.label}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}
