// Where to send someone after sign-in. A `callbackUrl` is attacker-controlled: it is resolved the way a browser would
// resolve it against the console's own origin, and only a path on that origin survives. Everything else ends on "/".

/** Longer than any page of the console asks for; longer values are refused rather than cut (a cut may change the path). */
const maximumLength = 2_000;

/** C0 controls, DEL and the C1 range: a browser drops tab, CR and LF from a URL, so "/\t/evil" would become "//evil". */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * The same-origin path (path, query, fragment) that `value` leads to when resolved against `origin`, or null when it
 * leads anywhere else or cannot be parsed. Never throws.
 */
export function sameOriginPath(value: unknown, origin: string): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > maximumLength) return null;
  try {
    const base = new URL(origin);
    const url = new URL(value.replace(controlCharacters, ""), base);
    if (url.origin !== base.origin || url.username || url.password) return null;
    const path = `${url.pathname}${url.search}${url.hash}`;
    // "//evil" as a path is protocol-relative once a browser reads it back: check the path resolves home again.
    if (!path.startsWith("/") || path.startsWith("//") || new URL(path, base).origin !== base.origin) return null;
    return path;
  } catch {
    return null;
  }
}

/** The sign-in page itself is never a destination: it would bounce a signed-in visitor back and forth. */
function isSignInPath(path: string): boolean {
  return /^\/sign-in(?:[/?#]|$)/i.test(path);
}

/**
 * For the sign-in page: where a signed-in visitor goes, from `?callbackUrl=` (one value only; a repeated parameter,
 * a malformed or an off-site value, or the sign-in page itself all give "/").
 */
export function safeReturnPath(value: string | string[] | undefined, origin: string): string {
  const path = sameOriginPath(value, origin);
  return path && !isSignInPath(path) ? path : "/";
}

/**
 * next-auth's `redirect` callback: after a fresh sign-in (or sign-out) only a URL on the console's own origin, else the
 * console's home. next-auth passes the absolute form it will send in the Location header.
 */
export function sameOriginRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const path = sameOriginPath(url, baseUrl);
  const home = new URL(baseUrl).origin;
  return path ? `${home}${path}` : home;
}
