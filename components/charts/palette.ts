// Chart colours: the Okabe–Ito palette (globals.css, --chart-1..8), which
// stays distinguishable with the common colour-vision deficiencies. Series
// are also told apart by legend order and tooltips, never by colour alone.
export const seriesColours = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)", "var(--chart-6)", "var(--chart-7)"] as const;
/** For "everyone else" bands and reference lines. */
export const neutralColour = "var(--text-muted)";
export const capacityColour = "var(--danger)";

export function colourAt(index: number): string {
  return seriesColours[index % seriesColours.length]!;
}
