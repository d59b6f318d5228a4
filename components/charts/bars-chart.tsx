"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { chartChrome, colourAt } from "./palette";
import { useStaggeredMount } from "./staggered-mount";

/** Categories on x, one or more (optionally stacked) measures on y. */
export function BarsChart({
  title,
  summary,
  rows,
  bars,
  formatValue,
  height = 220,
}: {
  title: string;
  summary: string;
  rows: { category: string; [key: string]: string | number }[];
  bars: { key: string; label: string; stack?: string; colour?: string }[];
  formatValue: (value: number) => string;
  height?: number;
}) {
  const ready = useStaggeredMount();
  return (
    <figure aria-label={title} className="m-0">
      <figcaption className="sr-only">{summary}</figcaption>
      <div style={{ height }} className="text-[11px]">
        {ready ? (
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={chartChrome.margin}>
              <CartesianGrid {...chartChrome.grid} />
              <XAxis dataKey="category" {...chartChrome.axis} interval={0} />
              <YAxis tickFormatter={(v: number) => formatValue(v)} {...chartChrome.axis} width={64} />
              <Tooltip
                formatter={(value, name) => [formatValue(Number(value)), name]}
                contentStyle={chartChrome.tooltip}
                labelStyle={chartChrome.tooltipLabel}
                cursor={{ fill: "var(--surface-2)" }}
              />
              {bars.length > 1 ? (
                <Legend
                  wrapperStyle={{ fontSize: 12 }}
                  iconSize={10}
                  formatter={(value) => <span style={{ color: "var(--text)" }}>{value}</span>}
                />
              ) : null}
              {bars.map((bar, i) => (
                <Bar
                  key={bar.key}
                  dataKey={bar.key}
                  name={bar.label}
                  stackId={bar.stack}
                  fill={bar.colour ?? colourAt(i)}
                  isAnimationActive={false}
                  maxBarSize={48}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        ) : null}
      </div>
    </figure>
  );
}
