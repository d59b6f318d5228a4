export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="px-4 py-10 text-center">
      <p className="font-medium">{title}</p>
      {children ? <div className="mx-auto mt-1 max-w-md text-muted">{children}</div> : null}
    </div>
  );
}

/** Marks a part of a page whose data arrives with a later capability: says so instead of inventing numbers. */
export function NotYetAvailable({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-border-strong bg-surface px-4 py-5">
      <p className="font-medium">{title}</p>
      <div className="mt-1 max-w-2xl text-muted">{children}</div>
    </div>
  );
}
