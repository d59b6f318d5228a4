// Runs once when a console server starts: a missing or malformed setting
// stops it here, naming the variable, instead of failing on some later request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWithConfig } = await import("./lib/config/config");
  startWithConfig("console");
}
