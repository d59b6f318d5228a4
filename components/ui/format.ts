// The console's one set of formatters: counts, rates, shares, bytes, durations
// and times. Numbers carry their unit (a count's unit is its noun), digits are
// en-US, times are UTC. A value that was not measured (NaN in a view, null
// after JSON) shows as a dash, never as 0. Put the result in a `num` element
// (tabular numerals) so columns of figures line up.

const dash = "—";

export function isMeasured(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** "1,200": a whole number, for a count whose noun stands beside it (a column header, a label). */
export function formatInteger(value: number | null | undefined): string {
  return isMeasured(value) ? whole.format(value) : dash;
}

/** "1,200 req/s": a whole number with its unit. */
export function withUnit(value: number | null | undefined, unit: string): string {
  return isMeasured(value) ? `${whole.format(value)} ${unit}` : dash;
}

/** "1 pool", "3 pools": the count with its noun. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatInteger(count)} ${count === 1 ? singular : plural}`;
}

/** "840", "1.2M": a count, compact from 100,000 up, with its unit when given ("1.2M req"). */
export function formatCount(value: number | null | undefined, unit = ""): string {
  if (!isMeasured(value)) return dash;
  const text = Math.abs(value) >= 100_000 ? compact.format(value) : whole.format(value);
  return unit ? `${text} ${unit}` : text;
}

/** "1.2M": an axis tick, where the unit is in the axis title. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/** "12.5 req/s", "340 WCU/s": one decimal below 100. */
export function formatRate(value: number | null | undefined, unit: string): string {
  if (!isMeasured(value)) return dash;
  return `${Math.abs(value) >= 100 ? whole.format(value) : oneDecimal.format(value)} ${unit}`;
}

/** A fraction as a percentage: "50%", "4.5%" (a decimal below 10% unless digits says otherwise), "< 0.1%", "0%". */
export function formatPercent(value: number | null | undefined, digits = 0): string {
  if (!isMeasured(value)) return dash;
  if (value === 0) return "0%";
  const percent = value * 100;
  if (percent > 0 && percent < 0.1) return "< 0.1%";
  const decimals = digits === 0 && percent < 10 && percent !== Math.round(percent) ? 1 : digits;
  return `${percent.toFixed(decimals)}%`;
}

/** A multiple: "3.4×", "12×". */
export function formatRatio(value: number | null | undefined): string {
  return isMeasured(value) ? `${Math.abs(value) >= 10 ? whole.format(value) : oneDecimal.format(value)}×` : dash;
}

/** An index between 0 and 1 (Jain's): "0.87". */
export function formatIndex(value: number | null | undefined): string {
  return isMeasured(value) ? twoDecimals.format(value) : dash;
}

/** A latency: "312 ms", "4.5 ms". */
export function formatMs(value: number | null | undefined): string {
  return isMeasured(value) ? `${Math.abs(value) >= 100 ? whole.format(value) : oneDecimal.format(value)} ms` : dash;
}

const byteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** "512 B", "497.7 KiB", "1.2 GiB" (binary units). */
export function formatBytes(value: number | bigint | null | undefined): string {
  const bytes = typeof value === "bigint" ? Number(value) : value;
  if (!isMeasured(bytes)) return dash;
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < byteUnits.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? whole.format(v) : oneDecimal.format(v)} ${byteUnits[i]}`;
}

/** A duration in milliseconds: "840 ms", "4.2 s", "42 s", "3 min 5 s", "42 min", "1 h 12 min", "3 d 4 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (!isMeasured(ms)) return dash;
  if (ms < 0) return `−${formatDuration(-ms)}`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 9.95) return `${oneDecimal.format(seconds)} s`;
  if (seconds < 89.5) return `${Math.round(seconds)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 10) return totalSeconds % 60 ? `${minutes} min ${totalSeconds % 60} s` : `${minutes} min`;
  const totalMinutes = Math.round(seconds / 60);
  if (totalMinutes < 90) return `${totalMinutes} min`;
  const hours = Math.floor(totalMinutes / 60);
  if (hours < 48) return totalMinutes % 60 ? `${hours} h ${totalMinutes % 60} min` : `${hours} h`;
  const totalHours = Math.round(totalMinutes / 60);
  return totalHours % 24 ? `${Math.floor(totalHours / 24)} d ${totalHours % 24} h` : `${totalHours / 24} d`;
}

/** US dollars, with the precision a small figure needs: "$0.0012", "$3.40". */
export function formatUsd(value: number | null | undefined): string {
  if (!isMeasured(value)) return dash;
  return `$${value !== 0 && Math.abs(value) < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;
}

type Instant = Date | number | string;
const toDate = (value: Instant) => (value instanceof Date ? value : new Date(value));

const dateTime = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  hour12: false,
});

/** "24 Nov 2026, 10:00 UTC". */
export function formatDateTime(value: Instant | null | undefined): string {
  if (value === null || value === undefined) return dash;
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? dash : `${dateTime.format(date)} UTC`;
}

/** "2026-12-02 00:31:05 UTC": to the second, sortable, for logs. */
export function formatTimestamp(value: Instant | null | undefined): string {
  if (value === null || value === undefined) return dash;
  const date = toDate(value);
  return Number.isNaN(date.getTime()) ? dash : `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
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
const clock = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZone: "UTC",
  hour12: false,
});

/** "10:42", or "24 Nov, 10:42" with the day: chart axes and tooltips, which say UTC once in their caption. */
export function formatTime(value: Instant, withDay = false): string {
  return (withDay ? dayTime : time).format(toDate(value));
}

/** "10:42:07 UTC": a step's start or end, to the second. */
export function formatClock(value: Instant | null | undefined): string {
  if (value === null || value === undefined) return dash;
  return `${clock.format(toDate(value))} UTC`;
}

/** "24 Nov, 10:00–10:30 UTC": the day once when both ends share it. */
export function formatSpan(start: Instant, end: Instant): string {
  const startMs = toDate(start).getTime();
  const endMs = toDate(end).getTime();
  const sameDay = Math.floor(startMs / 86_400_000) === Math.floor(endMs / 86_400_000);
  return `${formatTime(startMs, true)}–${sameDay ? formatTime(endMs) : formatTime(endMs, true)} UTC`;
}
