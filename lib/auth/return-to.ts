/** Only same-site paths: an open redirect through ?callbackUrl= is refused. */
export function safeReturnPath(value: string | string[] | undefined): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return "/";
  let path = raw;
  try {
    // next-auth may hand back an absolute URL on our own origin.
    if (/^https?:\/\//i.test(raw)) {
      const url = new URL(raw);
      path = `${url.pathname}${url.search}`;
    }
  } catch {
    return "/";
  }
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\") || path.startsWith("/sign-in")) return "/";
  return path.slice(0, 500);
}
