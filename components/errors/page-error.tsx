"use client";

import { useEffect, useState } from "react";
import type { HealthReport } from "@/components/shell/health-query";

/** Production hides the error's text; the health check says whether the catalog database is the cause. */
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [health, setHealth] = useState<HealthReport | null>(null);
  useEffect(() => {
    fetch("/api/health", { cache: "no-store" })
      .then((response) => response.json() as Promise<HealthReport>)
      .then(setHealth, () => setHealth(null));
  }, [error]);
  const databaseDown = health !== null && !health.database.reachable;
  return (
    <div role="alert" className="mx-auto mt-16 max-w-xl rounded-lg border border-border bg-surface p-6">
      <h1 className="text-lg font-semibold">{databaseDown ? "The catalog database is unreachable" : "This page could not be loaded"}</h1>
      <p className="mt-2 text-muted">
        {databaseDown
          ? `The console cannot read tenant metadata right now (${health.database.error ?? "no answer"}). Nothing was changed. Check that PostgreSQL is running and that DATABASE_URL points at it.`
          : "Something failed on the server while loading this page. Nothing was changed."}
      </p>
      {error.digest ? <p className="mt-2 font-mono text-xs text-muted">Reference: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-accent px-3 py-1.5 font-medium text-accent-fg">
        Try again
      </button>
    </div>
  );
}
