"use client";

import { formatTime } from "@/components/ui/format";
import { livePollMs } from "./use-live-view";

/** "Live · updated 10:42 UTC", or the failed poll's cause while the last good data stays on screen. */
export function LiveStatus({ updatedAt, failure }: { updatedAt: number; failure: { dependency: string; message: string } | null }) {
  return (
    <p className="num text-xs text-muted" aria-live="polite" suppressHydrationWarning>
      {failure ? (
        <span className="text-danger">
          Update failed ({failure.dependency}: {failure.message.slice(0, 120)}); showing data from {formatTime(updatedAt)} UTC
        </span>
      ) : (
        <>
          Live · updated {formatTime(updatedAt)} UTC · every {livePollMs / 1000} s
        </>
      )}
    </p>
  );
}
