"use client";

import { useQuery } from "@tanstack/react-query";
import type { ViewResult } from "@/lib/dashboards/view-result";

export const livePollMs = 30_000;

class ViewUnavailable extends Error {
  constructor(
    readonly dependency: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A server-rendered view kept live: polls its route handler every 30 s. A
 * failed poll keeps the last good view on screen (TanStack keeps the last
 * data on error) and reports the failure beside it.
 */
export function useLiveView<T>(url: string, initial: ViewResult<T>) {
  const query = useQuery({
    queryKey: ["view", url],
    queryFn: async (): Promise<ViewResult<T>> => {
      const response = await fetch(url, { cache: "no-store" });
      if (response.status === 401) throw new ViewUnavailable("Session", "Your session has ended: sign in again.");
      const body = (await response.json().catch(() => null)) as ViewResult<T> | { error: string } | null;
      if (body && "ok" in body) {
        if (!body.ok) throw new ViewUnavailable(body.dependency, body.message);
        return body;
      }
      throw new ViewUnavailable("Console", body && "error" in body ? body.error : `HTTP ${response.status}`);
    },
    initialData: initial,
    initialDataUpdatedAt: initial.at,
    refetchInterval: livePollMs,
    refetchOnWindowFocus: false,
    retry: false,
  });
  const error =
    query.error instanceof ViewUnavailable
      ? { dependency: query.error.dependency, message: query.error.message }
      : query.error
        ? { dependency: "Console", message: query.error.message }
        : null;
  return { result: query.data, failure: error, updatedAt: query.dataUpdatedAt };
}
