import "server-only";
import { config } from "../config/config";

/**
 * The console's own origin, what `?callbackUrl=` values are resolved against: NEXTAUTH_URL's, else the request's host
 * (as next-auth does without NEXTAUTH_URL). Only the result's path is ever used, so a forged Host cannot send anyone away.
 */
export function consoleOrigin(headers: Headers): string {
  const configured = config().NEXTAUTH_URL;
  if (configured) return new URL(configured).origin;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost";
  const proto = headers.get("x-forwarded-proto") === "https" ? "https" : "http";
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return "http://localhost";
  }
}
