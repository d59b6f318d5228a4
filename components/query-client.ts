import { QueryClient } from "@tanstack/react-query";

/** Live panels poll; 10 s staleness keeps navigation from refetching what was just shown. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, refetchOnWindowFocus: true, retry: 1 },
    },
  });
}
