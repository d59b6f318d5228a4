// Chart colours: the Okabe–Ito palette (globals.css, --chart-1..8), which
// stays distinguishable with the common colour-vision deficiencies. Series
// are also told apart by legend order and tooltips, never by colour alone.
export const seriesColours = [
  "var(--chart-1)",
  "var(--chart-2)",
  "var(--chart-3)",
  "var(--chart-4)",
  "var(--chart-5)",
  "var(--chart-6)",
  "var(--chart-7)",
] as const;
/** For "everyone else" bands and reference lines. */
export const neutralColour = "var(--text-muted)";
export const capacityColour = "var(--danger)";
/**
 * Refusals by the tenant's own plan: reddish purple, stacked beside served requests (blue) and capacity refusals (red).
 * Not the palette's sky blue, which read as a second shade of the served requests' blue.
 */
export const planRefusalColour = "var(--chart-4)";
/** Operations drawn over a chart's data (spans and lines): the palette's black (light) / near-white (dark), never a series colour. */
export const annotationColour = "var(--chart-8)";

export function colourAt(index: number): string {
  return seriesColours[index % seriesColours.length]!;
}

/** The chart chrome every chart shares: axes, grid, tooltip and legend in the theme's colours. */
export const chartChrome = {
  axis: { stroke: "var(--border-strong)", tick: { fill: "var(--text-muted)" } },
  grid: { stroke: "var(--border)", strokeDasharray: "3 3", vertical: false },
  tooltip: { background: "var(--surface)", border: "1px solid var(--border)", borderRadius: 6, fontSize: 12 },
  tooltipLabel: { color: "var(--text)" },
  margin: { top: 8, right: 12, bottom: 0, left: 4 },
} as const;
