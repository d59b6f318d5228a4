import { isMeasured } from "@/components/ui/format";

/** A tiny inline trend for table rows: plain SVG, no chart library, so a hundred rows stay cheap. */
export function Sparkline({
  values,
  max,
  label,
  width = 96,
  height = 22,
  colour = "var(--chart-1)",
  limit,
}: {
  values: (number | null)[];
  max?: number;
  label: string;
  width?: number;
  height?: number;
  colour?: string;
  limit?: number;
}) {
  const measured = values.filter(isMeasured);
  const top = max ?? Math.max(limit ?? 0, ...measured, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const y = (v: number) => height - 1 - (Math.min(v, top) / top) * (height - 2);
  let path = "";
  values.forEach((v, i) => {
    if (!isMeasured(v)) return;
    path += `${path && isMeasured(values[i - 1]) ? "L" : "M"}${(i * step).toFixed(1)},${y(v).toFixed(1)}`;
  });
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="inline-block align-middle">
      {limit !== undefined && limit <= top ? (
        <line x1={0} x2={width} y1={y(limit)} y2={y(limit)} stroke="var(--danger)" strokeDasharray="3 2" strokeWidth={1} />
      ) : null}
      <path d={path} fill="none" stroke={colour} strokeWidth={1.25} />
    </svg>
  );
}
