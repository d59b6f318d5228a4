// The response headers that protect the console's pages in the browser, as proxy.ts sets them per request (the ones
// that never vary are in next.config.mjs). Pure: unit-tested in security-headers.test.ts; docs/security.md, "Headers".

/** The request header carrying the nonce to server components (the root layout puts it on its inline theme script). */
export const nonceHeader = "x-nonce";

/**
 * The Content-Security-Policy of a page. Scripts run only from the console's origin with this request's nonce, and
 * what they load ('strict-dynamic': Next.js's chunks); styles from the origin and inline, because server-rendered
 * markup carries style attributes (bar widths, chart colours) and Recharts sets them on its SVG, and a policy that
 * lists a nonce for styles ignores 'unsafe-inline'. Nothing may frame the console, no plugins, no <base> elsewhere,
 * forms post only to the console (sign-in, including OIDC, goes through fetch and navigation, not a cross-origin form).
 * Development adds 'unsafe-eval', which React uses there to rebuild server error stacks.
 */
export function contentSecurityPolicy(nonce: string, development = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * HSTS for a response served over https: the protocol the console's proxy or load balancer reports (X-Forwarded-Proto,
 * its first value), else the request's own. Never over plain http, where browsers ignore it and a local console must
 * stay reachable.
 */
export function strictTransportSecurity(forwardedProto: string | null, requestProtocol: string): string | null {
  const protocol = forwardedProto?.split(",")[0]?.trim().toLowerCase() || requestProtocol.replace(/:$/, "").toLowerCase();
  return protocol === "https" ? "max-age=31536000; includeSubDomains" : null;
}
