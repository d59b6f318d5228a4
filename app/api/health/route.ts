import { checkDatabase } from "@/lib/health/check-database";
import { getDb } from "@/lib/db/client";
import packageJson from "@/package.json" with { type: "json" };

export const dynamic = "force-dynamic";

/** Public: no session needed, no secrets given. 503 when the catalog database is unreachable. */
export async function GET() {
  let database;
  try {
    database = await checkDatabase(getDb());
  } catch (error) {
    // getDb throws when the environment is invalid; say which variable, never its value.
    database = { reachable: false, error: error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : "unknown error" };
  }
  const body = {
    status: database.reachable ? "ok" : "degraded",
    version: packageJson.version,
    checkedAt: new Date().toISOString(),
    database,
  };
  return Response.json(body, { status: database.reachable ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
