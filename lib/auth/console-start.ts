// Sign-in's part of a console server's start (instrumentation.ts, Node.js runtime only).
import http from "node:http";
import type { Config } from "../config/config";
import { stampConnectionAddress } from "./client-address";
import { transportPolicy } from "./transport";

export function prepareSignIn(settings: Config): void {
  // Plain http in production only with AUTH_ALLOW_INSECURE_HTTP=on (lib/auth/transport.ts).
  const { refusal } = transportPolicy(settings, process.env.NODE_ENV);
  if (refusal) {
    // Thrown, Next.js would keep listening and answer 500 to every request: stop instead.
    console.error(`The console did not start. ${refusal}`);
    process.exit(1);
  }
  // Sign-in throttling counts against the connection's address (lib/auth/client-address.ts).
  stampConnectionAddress(http);
}
