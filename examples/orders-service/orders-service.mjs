// An orders service for a multi-tenant SaaS, keyed its own way
// (PK = "TENANT#<tenant id>", SK = "ORDER#<order id>", changes stamped in
// modifiedAt), storing through the data-plane library so the Tenant Storage
// Console can move, back up and restore its tenants while it runs.
//
//   POST /tenants/<tenant>/orders  {"orderId": "1001", "total": 42}   → 201, or 503 + Retry-After while frozen
//   GET  /tenants/<tenant>/orders                                      → {"orders": [...]}
//
// Configured by the environment: ROUTING_TABLE, READERS_TABLE, AWS_REGION,
// PORT (default 8080; 0 picks one), READER_ID (this process's name in the
// readers table; default host-pid-random), METRICS_MODE (emf | put-metric-data
// | off), METRICS_NAMESPACE, METRICS_FLUSH_MS (default 10,000), FREEZE_WAIT_MS,
// plus the AWS SDK's own (credentials, AWS_ENDPOINT_URL_DYNAMODB,
// AWS_ENDPOINT_URL_CLOUDWATCH for put-metric-data).
import { createServer } from "node:http";
import { createDataPlane, TenantThrottledError, TenantUnavailableError, TenantWriteFrozenError } from "@tenant-storage-console/data-plane";

const dataPlane = createDataPlane({
  routingTable: process.env.ROUTING_TABLE ?? "tsc-routing",
  readersTable: process.env.READERS_TABLE ?? "tsc-routing-readers",
  region: process.env.AWS_REGION ?? "us-east-1",
  readerId: process.env.READER_ID || undefined,
  freeze: { waitMs: Number(process.env.FREEZE_WAIT_MS ?? 2000) },
  metrics: {
    mode: process.env.METRICS_MODE ?? "emf",
    namespace: process.env.METRICS_NAMESPACE ?? "TenantStorage",
    flushIntervalMs: Number(process.env.METRICS_FLUSH_MS ?? 10_000),
  },
});

function send(response, status, body, headers = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

async function readJson(request) {
  let text = "";
  for await (const chunk of request) text += chunk;
  return JSON.parse(text || "{}");
}

async function handle(request, response) {
  const match = /^\/tenants\/([a-z0-9-]+)\/orders$/.exec(new URL(request.url, "http://x").pathname);
  if (!match) return send(response, 404, { error: "not found" });
  const tenant = dataPlane.forTenant(match[1]);
  const PK = await tenant.partitionKey();
  if (request.method === "POST") {
    let body;
    try {
      body = await readJson(request);
    } catch {
      return send(response, 400, { error: "the body is not JSON" });
    }
    const { orderId, total } = body ?? {};
    if (typeof orderId !== "string" || typeof total !== "number")
      return send(response, 400, { error: "orderId (string) and total (number) are required" });
    const receipt = await tenant.put({ PK, SK: `ORDER#${orderId}`, orderId, total });
    return send(response, 201, { orderId, modifiedAt: receipt.changeStamp, table: receipt.tableName });
  }
  if (request.method === "GET") {
    const orders = [];
    let startKey;
    do {
      const page = await tenant.query(PK, { sortKey: { beginsWith: "ORDER#" }, startKey, consistentRead: true });
      orders.push(...page.items.map(({ orderId, total, modifiedAt }) => ({ orderId, total, modifiedAt })));
      startKey = page.nextKey;
    } while (startKey);
    return send(response, 200, { orders });
  }
  return send(response, 405, { error: "method not allowed" });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error) => {
    // A freeze (a migration's or restore's last seconds) or a throttle is retryable: tell the client when.
    if (error instanceof TenantWriteFrozenError || error instanceof TenantThrottledError)
      return send(
        response,
        error instanceof TenantWriteFrozenError ? 503 : 429,
        { error: error.message, retryable: true },
        {
          "retry-after": String(Math.ceil(error.retryAfterMs / 1000)),
        },
      );
    if (error instanceof TenantUnavailableError) return send(response, 404, { error: error.message });
    console.error(error);
    send(response, 500, { error: "internal error" });
  });
});

server.listen(Number(process.env.PORT ?? 8080), "127.0.0.1", () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});

async function shutdown() {
  server.close();
  await dataPlane.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
