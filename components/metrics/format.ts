// Numbers from metrics, always with their unit. A value that was not measured
// (NaN in a view, null after JSON) shows as a dash, never as 0.

export function isMeasured(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export const dash = "—";

export function formatPercent(value: number | null | undefined, digits = 0): string {
  if (!isMeasured(value)) return dash;
  const percent = value * 100;
  if (percent > 0 && percent < 0.1) return "< 0.1%";
  return `${percent.toFixed(percent < 10 && digits === 0 && percent !== Math.round(percent) ? 1 : digits)}%`;
}

/** A multiple: "3.4×". */
export function formatRatio(value: number | null | undefined): string {
  return isMeasured(value) ? `${value >= 10 ? whole.format(value) : oneDecimal.format(value)}×` : dash;
}

export function formatIndex(value: number | null | undefined): string {
  return isMeasured(value) ? twoDecimals.format(value) : dash;
}

export function formatMs(value: number | null | undefined): string {
  return isMeasured(value) ? `${value >= 100 ? whole.format(value) : oneDecimal.format(value)} ms` : dash;
}

export function formatCount(value: number | null | undefined, unit = ""): string {
  if (!isMeasured(value)) return dash;
  const text = value >= 100_000 ? compact.format(value) : whole.format(value);
  return unit ? `${text} ${unit}` : text;
}

export function formatRate(value: number | null | undefined, unit: string): string {
  if (!isMeasured(value)) return dash;
  return `${value >= 100 ? whole.format(value) : oneDecimal.format(value)} ${unit}`;
}

export function formatBytes(value: number | null | undefined): string {
  if (!isMeasured(value)) return dash;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = value;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? whole.format(v) : oneDecimal.format(v)} ${units[i]}`;
}

const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC", hour12: false });
const dayTime = new Intl.DateTimeFormat("en-GB", {
  day: "2-digit",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  hour12: false,
});

/** Axis and tooltip times, UTC like the rest of the console. */
export function formatTime(ms: number, withDay = false): string {
  return withDay ? dayTime.format(ms) : time.format(ms);
}

export function formatSpan(startMs: number, endMs: number): string {
  const sameDay = Math.floor(startMs / 86_400_000) === Math.floor(endMs / 86_400_000);
  return `${formatTime(startMs, true)}–${sameDay ? formatTime(endMs) : formatTime(endMs, true)} UTC`;
}

/** GetMetricData's list price in us-east-1: USD 0.01 per 1,000 metrics requested. */
export const dollarsPerMetric = 0.01 / 1000;
