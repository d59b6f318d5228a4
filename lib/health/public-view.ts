// What /api/health tells a caller who is not signed in: whether the console works and which dependency is reachable,
// never versions, details or error text (they help an attacker fingerprint the deployment).

interface Check {
  reachable: boolean;
}

export interface HealthBody {
  status: "ok" | "degraded";
  database: Check;
  dynamoDb: Check;
  cloudWatch: Check;
}

export function publicHealth(body: HealthBody) {
  return {
    status: body.status,
    database: { reachable: body.database.reachable },
    dynamoDb: { reachable: body.dynamoDb.reachable },
    cloudWatch: { reachable: body.cloudWatch.reachable },
  };
}
