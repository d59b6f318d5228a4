// A plain GET form: filters live in the URL (shareable, reload-safe) and work without JavaScript.
import Link from "next/link";

export type FilterField =
  | { kind: "select"; name: string; label: string; value?: string; options: { value: string; label: string }[] }
  | {
      kind: "text";
      name: string;
      label: string;
      value?: string;
      placeholder?: string;
      maxLength: number;
      type?: "text" | "search" | "date";
    };

const controlClass = "rounded-md border border-border bg-surface px-2 py-1.5 text-fg";

export function FilterForm({
  action,
  label,
  fields,
  clearHref,
  extra,
}: {
  action: string;
  label: string;
  fields: FilterField[];
  clearHref: string;
  extra?: React.ReactNode;
}) {
  return (
    <form role="search" aria-label={label} method="get" action={action} className="mb-3 flex flex-wrap items-end gap-3">
      {fields.map((field) => (
        <label key={field.name} className="flex flex-col gap-1 text-xs text-muted">
          {field.label}
          {field.kind === "select" ? (
            <select name={field.name} defaultValue={field.value ?? ""} className={controlClass}>
              <option value="">All</option>
              {field.options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              name={field.name}
              type={field.type ?? "search"}
              defaultValue={field.value ?? ""}
              placeholder={field.placeholder}
              maxLength={field.maxLength}
              className={`${controlClass} text-sm`}
            />
          )}
        </label>
      ))}
      <button type="submit" className="rounded-md border border-border bg-surface px-3 py-1.5 hover:bg-surface-2">
        Apply
      </button>
      <Link href={clearHref} className="self-center text-xs text-accent hover:underline">
        Clear filters
      </Link>
      {extra}
    </form>
  );
}

/** The URL of the same filters on another page. */
export function queryWith(
  params: Record<string, string | number | undefined>,
  change: Record<string, string | number | undefined>,
): string {
  const merged = { ...params, ...change };
  const query = new URLSearchParams(
    Object.entries(merged)
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => [k, String(v)]),
  );
  const text = query.toString();
  return text ? `?${text}` : "";
}
