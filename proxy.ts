import { NextResponse, type NextRequest } from "next/server";
import { requestedPathHeader } from "@/lib/auth/requested-path";
import { contentSecurityPolicy, nonceHeader, strictTransportSecurity } from "@/lib/validation/security-headers";

// Runs before every page and API route (static files excepted). It sets the response's security headers that depend
// on the request: a Content-Security-Policy with a fresh nonce for pages (Next.js reads the nonce from the request's
// CSP header and puts it on its own scripts), and HSTS when the request came over https. It also tells server
// components which URL was asked for, so a signed-out visitor returns to it after signing in. Every access decision
// stays in the pages, layouts, actions and routes themselves. The headers that never vary are in next.config.mjs.
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(requestedPathHeader, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const page = !request.nextUrl.pathname.startsWith("/api/");
  let policy: string | null = null;
  if (page) {
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
    policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
    headers.set(nonceHeader, nonce);
    headers.set("content-security-policy", policy);
  }
  const response = NextResponse.next({ request: { headers } });
  if (policy) response.headers.set("content-security-policy", policy);
  const hsts = strictTransportSecurity(request.headers.get("x-forwarded-proto"), request.nextUrl.protocol);
  if (hsts) response.headers.set("strict-transport-security", hsts);
  return response;
}

export const config = {
  // Everything but Next.js's own static files and public/ (icons, the web manifest, the social preview), which are
  // served to signed-out visitors too and carry no script. The sign-in, error and not-found pages are pages like any other.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|ico|webmanifest|woff2?)$).*)"],
};
