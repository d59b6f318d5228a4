"use client";

import { LiveStatus } from "./live-status";
import { ReadCostNote } from "./view-states";

/** Above every live metrics view: when it was read, and what reading it costs. */
export function ViewStatusBar({
  updatedAt,
  failure,
  cost,
  periodSeconds,
}: {
  updatedAt: number;
  failure: { dependency: string; message: string } | null;
  cost: Parameters<typeof ReadCostNote>[0]["cost"];
  periodSeconds: number;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-2">
      <LiveStatus updatedAt={updatedAt} failure={failure} />
      <ReadCostNote cost={cost} periodSeconds={periodSeconds} />
    </div>
  );
}
