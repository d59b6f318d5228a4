export function TableSkeleton({ title, rows = 12 }: { title: string; rows?: number }) {
  return (
    <div aria-busy="true" aria-label={`Loading ${title.toLowerCase()}`}>
      <h1 className="mb-5 text-xl font-semibold tracking-tight">{title}</h1>
      <div className="rounded-lg border border-border bg-surface p-4">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="skeleton mb-2.5 h-5" style={{ width: `${70 + ((i * 37) % 30)}%` }} />
        ))}
      </div>
    </div>
  );
}
