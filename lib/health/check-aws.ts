import "server-only";
import { ListMetricsCommand, type CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";

export interface EndpointHealth {
  reachable: boolean;
  latencyMs?: number;
  /** What was checked, in the operator's words. */
  detail?: string;
  error?: string;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`.slice(0, 200);
  return String(error).slice(0, 200);
}

async function timed(check: () => Promise<string | undefined>, timeoutMs: number): Promise<EndpointHealth> {
  const started = performance.now();
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
    ]);
    return { reachable: true, latencyMs: Math.round(performance.now() - started), detail };
  } catch (error) {
    return { reachable: false, error: errorText(error) };
  }
}

/** DynamoDB answers and the routing table the data plane reads exists. */
export function checkDynamoDb(client: DynamoDBClient, routingTable: string, timeoutMs = 3_000): Promise<EndpointHealth> {
  return timed(async () => {
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: routingTable }));
      return `routing table ${routingTable} ${Table?.TableStatus?.toLowerCase() ?? "found"}`;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return `routing table ${routingTable} not created yet`;
      throw error;
    }
  }, timeoutMs);
}

/** CloudWatch answers a metrics listing in the tenant metrics namespace. */
export function checkCloudWatch(client: CloudWatchClient, namespace: string, timeoutMs = 3_000): Promise<EndpointHealth> {
  return timed(async () => {
    const { Metrics } = await client.send(new ListMetricsCommand({ Namespace: namespace, MetricName: "Requests" }));
    return `${Metrics?.length ?? 0}${Metrics?.length === 500 ? "+" : ""} request metrics in ${namespace}`;
  }, timeoutMs);
}
