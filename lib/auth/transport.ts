// Cookies and plain http. In production the session cookie is always `Secure`, whatever NEXTAUTH_URL says, and the
// console refuses to start over plain http unless AUTH_ALLOW_INSECURE_HTTP=on allows it (a console on your own
// machine: `npm run demo`, the e2e stack).
import type { Config } from "../config/config";

type Settings = Pick<Config, "NEXTAUTH_URL" | "AUTH_ALLOW_INSECURE_HTTP">;

export interface TransportPolicy {
  /** next-auth's `useSecureCookies`: `Secure` cookies with the `__Secure-` / `__Host-` prefixes. */
  secureCookies: boolean;
  /** Why this process must not start, or null. */
  refusal: string | null;
}

export function transportPolicy(settings: Settings, nodeEnv: string | undefined): TransportPolicy {
  const https = settings.NEXTAUTH_URL?.toLowerCase().startsWith("https://") ?? false;
  if (nodeEnv !== "production") return { secureCookies: https, refusal: null };
  if (settings.AUTH_ALLOW_INSECURE_HTTP === "on") return { secureCookies: https, refusal: null };
  return {
    secureCookies: true,
    refusal: https
      ? null
      : "The console refuses to serve sign-in over plain http: set NEXTAUTH_URL to its https:// address " +
        "(behind a load balancer that terminates TLS, the public https:// URL), or AUTH_ALLOW_INSECURE_HTTP=on for a console on your own machine only.",
  };
}

/** The session cookie's name under that policy (next-auth's default names). */
export function sessionCookieName(secureCookies: boolean): string {
  return `${secureCookies ? "__Secure-" : ""}next-auth.session-token`;
}
