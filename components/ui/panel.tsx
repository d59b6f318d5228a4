import { useId } from "react";

export function Panel({
  title,
  actions,
  children,
  className = "",
}: {
  title?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
}) {
  const titleId = useId();
  return (
    // min-w-0: in a grid or flex row the panel may be narrower than its content; a wide table scrolls inside it.
    // Named by its title, so assistive technology lists it among the page's regions.
    <section aria-labelledby={title ? titleId : undefined} className={`min-w-0 rounded-lg border border-border bg-surface ${className}`}>
      {title ? (
        <header className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-b border-border px-4 py-2.5">
          <h2 id={titleId} className="text-[13px] font-semibold">
            {title}
          </h2>
          {actions}
        </header>
      ) : null}
      <div>{children}</div>
    </section>
  );
}

/** A definition list of facts, label left, value right. */
export function Facts({ items }: { items: { label: string; value: React.ReactNode }[] }) {
  return (
    <dl className="divide-y divide-border">
      {items.map((item) => (
        <div key={item.label} className="flex items-baseline justify-between gap-4 px-4 py-2">
          <dt className="text-muted">{item.label}</dt>
          <dd className="min-w-0 text-right">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A panel holding a chart, with the chart's padding. */
export function ChartPanel({ title, className, children }: { title: React.ReactNode; className?: string; children: React.ReactNode }) {
  return (
    <Panel title={title} className={className}>
      <div className="px-2 py-3">{children}</div>
    </Panel>
  );
}
