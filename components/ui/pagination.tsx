import Link from "next/link";
import { formatInteger } from "./format";

export function Pagination({
  page,
  pageCount,
  total,
  size,
  noun,
  hrefFor,
}: {
  page: number;
  pageCount: number;
  total: number;
  size: number;
  noun: string;
  hrefFor: (page: number) => string;
}) {
  const first = total === 0 ? 0 : (page - 1) * size + 1;
  const last = Math.min(total, page * size);
  const link = (target: number, label: string, text: string) =>
    target >= 1 && target <= pageCount && target !== page ? (
      <Link
        href={hrefFor(target)}
        aria-label={label}
        className="whitespace-nowrap rounded-md border border-border px-2.5 py-1 hover:bg-surface-2"
      >
        {text}
      </Link>
    ) : (
      <span aria-disabled="true" className="whitespace-nowrap rounded-md border border-border px-2.5 py-1 text-muted opacity-50">
        {text}
      </span>
    );
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 border-t border-border px-4 py-2.5">
      <p className="num text-muted">
        {formatInteger(first)}–{formatInteger(last)} of {formatInteger(total)} {noun}
        {page > pageCount ? " (past the last page)" : ""}
      </p>
      <div className="flex flex-wrap items-center gap-1.5">
        {link(1, "First page", "«")}
        {link(page - 1, "Previous page", "‹ Previous")}
        <span className="num hidden whitespace-nowrap px-2 text-muted sm:inline">
          Page {formatInteger(page)} of {formatInteger(pageCount)}
        </span>
        {link(page + 1, "Next page", "Next ›")}
        {link(pageCount, "Last page", "»")}
      </div>
    </nav>
  );
}
