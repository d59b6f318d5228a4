// Runs once when a console server starts: a missing or malformed setting
// stops it here, naming the variable, instead of failing on some later request;
// so does plain http in production unless allowed (lib/auth/console-start.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startWithConfig } = await import("./lib/config/config");
    const { prepareSignIn } = await import("./lib/auth/console-start");
    prepareSignIn(startWithConfig("console"));
  }
}
