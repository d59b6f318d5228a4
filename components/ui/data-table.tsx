// The console's one table. Renders on the server or inside a client component
// alike (no hooks, no browser APIs): columns are plain objects with a cell
// function. Sorting is by links, so the URL carries the sort and its direction
// and every sorted view is a shareable link; the page sorts on the server.
import Link from "next/link";
import { EmptyState } from "./empty-state";

export type SortDirection = "asc" | "desc";

export interface Column<Row> {
  /** Names the column; for a sortable one, its value in the URL's sort. */
  key: string;
  header: React.ReactNode;
  /** The header is read by screen readers only (a column of controls or actions). */
  headerHidden?: boolean;
  /** A longer explanation of the header, shown on hover. */
  description?: string;
  cell: (row: Row, index: number) => React.ReactNode;
  /** Figures: right-aligned, tabular numerals, kept on one line. */
  numeric?: boolean;
  align?: "left" | "center" | "right";
  /** The cell names its row (a th with scope="row"). */
  rowHeader?: boolean;
  /** Sortable by its key; the direction a first click sorts in (ascending unless said). */
  sortable?: boolean | { first: SortDirection };
  /** Extra classes for this column's body cells (a monospace id, a width, wrapping). */
  className?: string;
  /** Extra classes for this column's header cell. */
  headerClassName?: string;
}

export interface TableSort {
  key: string;
  dir: SortDirection;
  /** The URL of the view sorted by key in dir (keep the other parameters; go back to the first page). */
  hrefFor: (key: string, dir: SortDirection) => string;
}

const alignClass = { left: "text-left", center: "text-center", right: "text-right" } as const;

function alignOf<Row>(column: Column<Row>): keyof typeof alignClass {
  return column.align ?? (column.numeric ? "right" : "left");
}

/**
 * The link that opens a row: put it in the cell that names the row. The whole
 * row becomes clickable while the link stays the one keyboard and
 * screen-reader target; other links and controls in the row keep working.
 */
export function RowLink({ href, className = "", children, ...rest }: React.ComponentProps<typeof Link>) {
  return (
    <Link href={href} data-row-link="" className={`text-accent hover:underline ${className}`} {...rest}>
      {children}
    </Link>
  );
}

/**
 * A column of radio buttons for a form that picks one of the rows (in a client
 * component: onChoose is a browser callback). Each radio's id is `${name}-${value}`,
 * for the label in the row's naming cell.
 */
export function choiceColumn<Row>({
  name,
  value,
  chosen,
  onChoose,
  disabled,
  describedBy,
}: {
  name: string;
  value: (row: Row) => string;
  chosen: string;
  onChoose: (value: string) => void;
  disabled?: (row: Row) => boolean;
  describedBy?: string;
}): Column<Row> {
  return {
    key: "choice",
    header: "Choose",
    headerHidden: true,
    align: "center",
    headerClassName: "w-10",
    cell: (row) => (
      <input
        type="radio"
        name={name}
        value={value(row)}
        id={`${name}-${value(row)}`}
        checked={chosen === value(row)}
        disabled={disabled?.(row)}
        onChange={() => onChoose(value(row))}
        aria-describedby={describedBy}
      />
    ),
  };
}

function SortHeader<Row>({ column, sort }: { column: Column<Row>; sort: TableSort }) {
  const active = sort.key === column.key;
  const first = typeof column.sortable === "object" ? column.sortable.first : "asc";
  const next: SortDirection = active ? (sort.dir === "asc" ? "desc" : "asc") : first;
  const shown = active ? sort.dir : first;
  return (
    <Link
      href={sort.hrefFor(column.key, next)}
      scroll={false}
      className={`inline-flex items-center gap-1 hover:text-fg ${active ? "text-fg" : ""} ${alignOf(column) === "right" ? "flex-row-reverse" : ""}`}
    >
      {column.header}
      <span aria-hidden className={active ? "" : "text-transparent"}>
        {shown === "desc" ? "▼" : "▲"}
      </span>
      <span className="sr-only">{active ? `, sorted ${sort.dir === "asc" ? "ascending" : "descending"}` : ", sort"}</span>
    </Link>
  );
}

export function DataTable<Row>({
  label,
  columns,
  rows,
  rowKey,
  empty,
  sort,
  rowClassName,
  paging,
  flush = false,
}: {
  /** Names the table and its scroll region for assistive technology. */
  label: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** What an empty table says instead: why it is empty, what fills it. */
  empty: { title: string; body?: React.ReactNode };
  sort?: TableSort;
  rowClassName?: (row: Row) => string | undefined;
  /** When rows are one page of more: the total and the index of the first row, for aria-rowcount. */
  paging?: { total: number; offset: number };
  /** Inside a card rather than a panel: no header band, no padding at the edges. */
  flush?: boolean;
}) {
  if (rows.length === 0) return <EmptyState title={empty.title}>{empty.body}</EmptyState>;
  const edge = (index: number) =>
    flush
      ? index === 0
        ? "pl-0"
        : index === columns.length - 1
          ? "pr-0"
          : ""
      : index === 0
        ? "pl-4"
        : index === columns.length - 1
          ? "pr-4"
          : "";
  return (
    // Wide tables scroll sideways on narrow screens; the region takes focus so keyboards can scroll it too. Its
    // width comes from its container, never from the table (contain), so no grid, flex row or fieldset around it widens the page;
    // it positions what the table positions (screen-reader-only text, row links' overlays), so they scroll and clip with it.
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className="relative overflow-x-auto [contain:inline-size] focus-visible:outline-offset-[-2px]"
    >
      <table
        className="data-table w-full border-collapse text-[13px]"
        aria-label={label}
        aria-rowcount={paging ? paging.total + 1 : undefined}
      >
        <thead className={`text-xs text-muted ${flush ? "" : "bg-surface-2"}`}>
          <tr className="border-b border-border" aria-rowindex={paging ? 1 : undefined}>
            {columns.map((column, index) => {
              const active = sort?.key === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  title={column.description}
                  aria-sort={column.sortable && sort ? (active ? (sort.dir === "asc" ? "ascending" : "descending") : "none") : undefined}
                  className={`whitespace-nowrap px-3 py-2 font-medium ${alignClass[alignOf(column)]} ${edge(index)} ${column.headerClassName ?? ""}`}
                >
                  {column.headerHidden ? (
                    <span className="sr-only">{column.header}</span>
                  ) : column.sortable && sort ? (
                    <SortHeader column={column} sort={sort} />
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-border">
          {rows.map((row, rowIndex) => (
            <tr
              key={rowKey(row)}
              className={rowClassName?.(row) ?? undefined}
              aria-rowindex={paging ? paging.offset + rowIndex + 2 : undefined}
            >
              {columns.map((column, index) => {
                const className = `px-3 py-1.5 ${alignClass[alignOf(column)]} ${column.numeric ? "num whitespace-nowrap" : ""} ${edge(index)} ${column.className ?? ""}`;
                return column.rowHeader ? (
                  <th key={column.key} scope="row" className={`font-normal ${className}`}>
                    {column.cell(row, rowIndex)}
                  </th>
                ) : (
                  <td key={column.key} className={className}>
                    {column.cell(row, rowIndex)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
