// Runs once when a console server starts: a missing or malformed setting
// stops it here, naming the variable, instead of failing on some later request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWithConfig } = await import("./lib/config/config");
  const settings = startWithConfig("console");
  // Plain http in production only with AUTH_ALLOW_INSECURE_HTTP=on (lib/auth/transport.ts).
  const { transportPolicy } = await import("./lib/auth/transport");
  const { refusal } = transportPolicy(settings, process.env.NODE_ENV);
  if (refusal) throw new Error(refusal);
  // Sign-in throttling counts against the connection's address (lib/auth/client-address.ts).
  const { stampConnectionAddress } = await import("./lib/auth/client-address");
  stampConnectionAddress(await import("node:http"));
}
