import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { MetricsReader } from "./reader";
import { DependencyError, readMetrics, viewWindow } from "./source";
import { settleView } from "../dashboards/view-result";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("an unreachable CloudWatch", () => {
  it("becomes an error that names CloudWatch, which a view reports instead of failing the page", async () => {
    const client = new CloudWatchClient({
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const reader = new MetricsReader(client, "Test");
    const read = readMetrics(reader, [{ key: "k", metricName: "Requests", dimensions: { TenantId: "t" }, stat: "Sum" }], viewWindow("1h"));
    await expect(read).rejects.toBeInstanceOf(DependencyError);
    const result = await settleView(
      readMetrics(reader, [{ key: "k", metricName: "Requests", dimensions: { TenantId: "t" }, stat: "Sum" }], viewWindow("1h")),
    );
    expect(result).toMatchObject({ ok: false, dependency: "CloudWatch", message: expect.stringMatching(/^CloudWatch: .+/) });
  });
});
