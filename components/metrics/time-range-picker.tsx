import Link from "next/link";
import { timeRanges, type TimeRangeKey } from "@/lib/metrics/period";

const labels: Record<TimeRangeKey, string> = { "1h": "1 h", "6h": "6 h", "24h": "24 h", "7d": "7 d" };

/** Links, not state: the range lives in the URL, so a view can be shared and survives a reload. */
export function TimeRangePicker({ current, hrefFor }: { current: TimeRangeKey; hrefFor: (key: TimeRangeKey) => string }) {
  return (
    <nav aria-label="Time range" className="inline-flex rounded-md border border-border bg-surface p-0.5 text-xs">
      {(Object.keys(timeRanges) as TimeRangeKey[]).map((key) => (
        <Link
          key={key}
          href={hrefFor(key)}
          aria-current={key === current ? "page" : undefined}
          className={`num rounded px-2.5 py-1 ${key === current ? "bg-accent text-accent-fg" : "text-muted hover:bg-surface-2 hover:text-fg"}`}
          scroll={false}
        >
          {labels[key]}
        </Link>
      ))}
    </nav>
  );
}

export function rangeHref(path: string, key: TimeRangeKey, params: Record<string, string | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  if (key !== "6h") query.set("range", key);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
