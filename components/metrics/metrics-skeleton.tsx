/** Placeholder while a metrics view is read: the page's catalog parts render first. */
export function MetricsSkeleton({ label, panels = 2 }: { label: string; panels?: number }) {
  return (
    <div aria-busy="true" aria-label={`Loading ${label}`} className="space-y-4">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        {Array.from({ length: 5 }, (_, i) => (
          <div key={i} className="rounded-lg border border-border bg-surface px-4 py-3">
            <div className="skeleton h-3 w-2/3" />
            <div className="skeleton mt-2 h-6 w-1/3" />
          </div>
        ))}
      </div>
      {Array.from({ length: panels }, (_, i) => (
        <div key={i} className="rounded-lg border border-border bg-surface p-4">
          <div className="skeleton h-3 w-48" />
          <div className="skeleton mt-3 h-48 w-full" />
        </div>
      ))}
    </div>
  );
}
