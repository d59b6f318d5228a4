import { cloudWatchClient, dynamoDbClient } from "@/lib/aws/clients";
import { checkCloudWatch, checkDynamoDb, type EndpointHealth } from "@/lib/health/check-aws";
import { currentUser } from "@/lib/auth/session";
import { checkDatabase } from "@/lib/health/check-database";
import { publicHealth } from "@/lib/health/public-view";
import { getDb } from "@/lib/db/client";
import { metricsNamespace } from "@/lib/metrics/namespace";
import { routingTableName } from "@/lib/routing/routing-table";
import packageJson from "@/package.json" with { type: "json" };

export const dynamic = "force-dynamic";

/** A failing check names its cause (an environment variable's name, an AWS error), never a value or secret. */
async function guarded<T>(check: () => Promise<T>, onThrow: (message: string) => T): Promise<T> {
  try {
    return await check();
  } catch (error) {
    return onThrow(error instanceof Error ? error.message.split("\n").slice(0, 3).join(" ") : "unknown error");
  }
}

/**
 * Public: no session needed, no secrets given. 503 when the catalog database
 * is unreachable (the console cannot work); "degraded" with 200 when only an
 * AWS endpoint is (catalog pages still work). Versions, details and error text
 * only for a signed-in user; anyone else gets the status and reachable flags.
 */
export async function GET() {
  const [database, dynamoDb, cloudWatch] = await Promise.all([
    guarded(
      () => checkDatabase(getDb()),
      (error) => ({ reachable: false, error }),
    ),
    guarded<EndpointHealth>(
      () => checkDynamoDb(dynamoDbClient(), routingTableName()),
      (error) => ({ reachable: false, error }),
    ),
    guarded<EndpointHealth>(
      () => checkCloudWatch(cloudWatchClient(), metricsNamespace()),
      (error) => ({ reachable: false, error }),
    ),
  ]);
  const allReachable = database.reachable && dynamoDb.reachable && cloudWatch.reachable;
  const body = {
    status: allReachable ? ("ok" as const) : ("degraded" as const),
    version: packageJson.version,
    checkedAt: new Date().toISOString(),
    database,
    dynamoDb,
    cloudWatch,
  };
  const signedIn = Boolean(await currentUser().catch(() => null));
  return Response.json(signedIn ? body : publicHealth(body), {
    status: database.reachable ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
