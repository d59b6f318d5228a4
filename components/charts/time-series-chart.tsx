"use client";

import Link from "next/link";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatCompact, formatSpan, formatTime, isMeasured } from "@/components/ui/format";
import { annotationsWithin, type ChartAnnotation } from "./annotations";
import { annotationColour, chartChrome, colourAt } from "./palette";
import { useStaggeredMount } from "./staggered-mount";

export type { ChartAnnotation };

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
  /** Widen the y axis to show the line (the default); when false, a line above the data is only listed under the chart. */
  extendDomain?: boolean;
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
  annotations = [],
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
  /** Operations drawn as numbered spans, and listed under the chart. */
  annotations?: readonly ChartAnnotation[];
  height?: number;
  yMax?: number;
  withDay?: boolean;
}) {
  const ready = useStaggeredMount();
  const rows = timestamps.map((t, i) => {
    const row: Record<string, number | null> = { t };
    for (const s of series) row[s.key] = isMeasured(s.values[i]) ? s.values[i]! : null;
    return row;
  });
  const marks = annotationsWithin(annotations, timestamps);
  const markLabel = (number: number) => ({
    value: String(number),
    position: "insideTopLeft" as const,
    fill: "var(--text)",
    fontSize: 11,
    fontWeight: 600,
  });
  return (
    <figure aria-label={title} className="m-0">
      <figcaption className="sr-only">{summary}</figcaption>
      <div style={{ height }} className="text-[11px] text-muted">
        {ready ? (
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
                <ReferenceLine
                  key={r.label}
                  y={r.y}
                  stroke={r.colour}
                  strokeDasharray="6 3"
                  strokeWidth={1.5}
                  ifOverflow={r.extendDomain === false ? "hidden" : "extendDomain"}
                />
              ))}
              {marks.map((m) =>
                m.x2 > m.x1 ? (
                  <ReferenceArea
                    key={m.key}
                    x1={m.x1}
                    x2={m.x2}
                    fill={annotationColour}
                    fillOpacity={0.07}
                    stroke={annotationColour}
                    strokeOpacity={0.6}
                    strokeDasharray="2 3"
                    label={markLabel(m.number)}
                  />
                ) : (
                  <ReferenceLine
                    key={m.key}
                    x={m.x1}
                    stroke={annotationColour}
                    strokeDasharray="2 3"
                    strokeWidth={1.5}
                    label={markLabel(m.number)}
                  />
                ),
              )}
            </ComposedChart>
          </ResponsiveContainer>
        ) : null}
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
      {marks.length ? (
        <ol aria-label={`Operations during ${title}`} className="mt-1 space-y-0.5 px-2 text-xs text-muted">
          {marks.map((m) => (
            <li key={m.key} className="flex gap-1.5">
              <span
                aria-hidden
                className="num inline-block min-w-3.5 rounded-sm border border-border-strong px-0.5 text-center font-semibold text-fg"
              >
                {m.number}
              </span>
              <span className="min-w-0">
                {m.href ? (
                  <Link href={m.href} className="text-accent hover:underline">
                    {m.label}
                  </Link>
                ) : (
                  m.label
                )}{" "}
                <span className="num whitespace-nowrap">
                  {m.endMs === null ? `since ${formatTime(m.startMs, true)} UTC, still running` : formatSpan(m.startMs, m.endMs)}
                </span>
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </figure>
  );
}
