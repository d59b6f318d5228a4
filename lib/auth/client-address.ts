// The client's address for sign-in throttling. Next.js gives a route no view of the connection, so the console's
// server stamps the connection's address on every request (instrumentation.ts, `stampConnectionAddress`) under a
// header of its own, replacing whatever a client sent under that name. `X-Forwarded-For` counts only when
// AUTH_TRUSTED_PROXY_HOPS says how many proxies in front of the console append to it.
import type { IncomingMessage, Server } from "node:http";

export const connectionAddressHeader = "x-console-connection-address";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Trimmed, bounded and stripped of anything but what an IPv4/IPv6 address (with zone or port) is made of. */
function cleanAddress(value: string | undefined): string | null {
  const address = value?.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (!address || address.length > 64 || !/^[0-9A-Za-z.:%[\]_-]+$/.test(address)) return null;
  return address.toLowerCase();
}

/**
 * The address sign-in throttling counts against: with `trustedProxyHops` n > 0, the n-th entry from the end of
 * X-Forwarded-For (the address the outermost trusted proxy saw); with 0, the connection's own address. "unknown" when
 * neither is there (a process that did not stamp connections, such as `next dev` on some set-ups).
 */
export function clientAddress(headers: HeaderSource, trustedProxyHops: number): string {
  if (trustedProxyHops > 0) {
    const forwarded = (header(headers, "x-forwarded-for") ?? "").split(",").map((entry) => entry.trim());
    const entry = forwarded.length >= trustedProxyHops ? forwarded[forwarded.length - trustedProxyHops] : forwarded[0];
    return cleanAddress(entry) ?? "unknown";
  }
  return cleanAddress(header(headers, connectionAddressHeader)) ?? "unknown";
}

let stamped = false;

/**
 * Called once per console process: every request an http server of this process receives carries its connection's
 * address under `connectionAddressHeader` (a client's own value under that name is replaced).
 */
export function stampConnectionAddress(http: { Server: typeof Server }): void {
  if (stamped) return;
  stamped = true;
  const emit = http.Server.prototype.emit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      request.headers[connectionAddressHeader] = request.socket?.remoteAddress ?? "";
    }
    return emit.apply(this, [event, ...args]);
  } as typeof http.Server.prototype.emit;
}
