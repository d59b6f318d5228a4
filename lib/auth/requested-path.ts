/** Set by proxy.ts on page requests: the path and query the visitor asked for. */
export const requestedPathHeader = "x-console-requested-path";

/** The sign-in URL that brings the visitor back to `path` (same-site only, see safeReturnPath). */
export function signInUrlFor(path: string | null | undefined): string {
  if (!path || path === "/" || !path.startsWith("/") || path.startsWith("//")) return "/sign-in";
  return `/sign-in?callbackUrl=${encodeURIComponent(path.slice(0, 500))}`;
}
