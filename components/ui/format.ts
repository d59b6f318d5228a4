const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatInteger(value: number): string {
  return integer.format(value);
}

/** "1,200 req/s": numbers always carry their unit. */
export function withUnit(value: number, unit: string): string {
  return `${formatInteger(value)} ${unit}`;
}

const dateTime = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  hour12: false,
});

export function formatDateTime(value: Date): string {
  return `${dateTime.format(value)} UTC`;
}

const date = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "2-digit", timeZone: "UTC" });

export function formatDate(value: Date): string {
  return date.format(value);
}

/** "1 pool", "3 pools": the count with its noun. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatInteger(count)} ${count === 1 ? singular : plural}`;
}
