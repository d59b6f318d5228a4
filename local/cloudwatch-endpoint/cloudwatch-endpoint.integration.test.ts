// The local CloudWatch endpoint, pinned with the real @aws-sdk/client-cloudwatch client.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudWatchEndpoint, type CloudWatchEndpoint } from "./server";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const hour = 3_600_000;
// A fixed clock on an hour boundary, so every expected aggregate is exact.
const now = Math.floor(Date.UTC(2026, 10, 24, 12) / hour) * hour;
const t = (minutes: number) => new Date(now - 6 * hour + minutes * 60_000);

let endpoint: CloudWatchEndpoint;
let client: CloudWatchClient;
const clientFor = (url: string) => new CloudWatchClient({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1 });

beforeAll(async () => {
  endpoint = await startCloudWatchEndpoint({ now: () => now });
  client = clientFor(endpoint.url);
});
afterAll(async () => {
  await endpoint?.stop();
});

const dims = [
  { Name: "TenantId", Value: "acme" },
  { Name: "StorageInstance", Value: "pool-a" },
];
const metric = (name: string, dimensions = dims) => ({ Namespace: "Test", MetricName: name, Dimensions: dimensions });

async function get(
  name: string,
  stat: string,
  periodSeconds: number,
  extra: Partial<ConstructorParameters<typeof GetMetricDataCommand>[0]> = {},
) {
  const result = await client.send(
    new GetMetricDataCommand({
      StartTime: t(0),
      EndTime: t(180),
      ScanBy: "TimestampAscending",
      MetricDataQueries: [{ Id: "q", MetricStat: { Metric: metric(name), Period: periodSeconds, Stat: stat } }],
      ...extra,
    }),
  );
  const r = result.MetricDataResults![0]!;
  return { timestamps: r.Timestamps!.map((d) => d.getTime()), values: r.Values!, status: r.StatusCode, next: result.NextToken };
}

describe("PutMetricData then GetMetricData", () => {
  beforeAll(async () => {
    // Latency: minute 0 gets values 1..100 (as Values + Counts in two calls), minute 1 a single value, minute 5 a statistic set.
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Test",
        MetricData: [
          {
            MetricName: "Latency",
            Dimensions: dims,
            Timestamp: t(0),
            Unit: "Milliseconds",
            Values: Array.from({ length: 50 }, (_, i) => i + 1),
            Counts: Array(50).fill(1),
          },
        ],
      }),
    );
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Test",
        MetricData: [
          {
            MetricName: "Latency",
            Dimensions: [...dims].reverse(),
            Timestamp: new Date(t(0).getTime() + 30_000),
            Unit: "Milliseconds",
            Values: Array.from({ length: 50 }, (_, i) => i + 51),
          },
        ],
      }),
    );
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Test",
        MetricData: [{ MetricName: "Latency", Dimensions: dims, Timestamp: t(1), Unit: "Milliseconds", Value: 500 }],
      }),
    );
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Test",
        MetricData: [
          {
            MetricName: "Latency",
            Dimensions: dims,
            Timestamp: t(5),
            Unit: "Milliseconds",
            StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 2, Maximum: 20 },
          },
        ],
      }),
    );
    // Requests: 1 per minute for 3 hours, backfilled in one call of 180 datums.
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Test",
        MetricData: Array.from({ length: 180 }, (_, m): MetricDatum => ({
          MetricName: "Requests",
          Dimensions: dims,
          Timestamp: t(m),
          Unit: "Count",
          Value: m,
        })),
      }),
    );
  });

  it("aggregates each statistic exactly per 60 s period", async () => {
    expect((await get("Latency", "Sum", 60)).values).toEqual([5050, 500, 40]);
    expect((await get("Latency", "SampleCount", 60)).values).toEqual([100, 1, 4]);
    expect((await get("Latency", "Average", 60)).values).toEqual([50.5, 500, 10]);
    expect((await get("Latency", "Minimum", 60)).values).toEqual([1, 500, 2]);
    expect((await get("Latency", "Maximum", 60)).values).toEqual([100, 500, 20]);
    expect((await get("Latency", "Sum", 60)).timestamps).toEqual([t(0), t(1), t(5)].map((d) => d.getTime()));
  });

  it("computes percentiles from raw values, and none where only a statistic set is known", async () => {
    expect((await get("Latency", "p50", 60)).values).toEqual([50, 500]);
    expect((await get("Latency", "p99", 60)).values).toEqual([99, 500]);
    expect((await get("Latency", "p99.9", 60)).values).toEqual([100, 500]);
    // Over 300 s, minute 0 and 1 together: 101 values; minute 5 falls in the next period.
    expect((await get("Latency", "p50", 300)).values).toEqual([51]);
  });

  it("aggregates over longer periods aligned to the epoch", async () => {
    const fiveMinutes = await get("Requests", "Sum", 300);
    expect(fiveMinutes.values.slice(0, 2)).toEqual([0 + 1 + 2 + 3 + 4, 5 + 6 + 7 + 8 + 9]);
    expect(fiveMinutes.values).toHaveLength(36);
    const hourly = await get("Requests", "Sum", 3600);
    expect(hourly.values).toEqual([1770, 5370, 8970]);
    expect((await get("Requests", "Maximum", 3600)).values).toEqual([59, 119, 179]);
  });

  it("orders by ScanBy, newest first by default", async () => {
    const descending = await client.send(
      new GetMetricDataCommand({
        StartTime: t(0),
        EndTime: t(180),
        MetricDataQueries: [{ Id: "q", MetricStat: { Metric: metric("Requests"), Period: 3600, Stat: "Sum" } }],
      }),
    );
    expect(descending.MetricDataResults![0]!.Values).toEqual([8970, 5370, 1770]);
  });

  it("pages with NextToken when there are more datapoints than MaxDatapoints", async () => {
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await get("Requests", "Sum", 60, { MaxDatapoints: 50, NextToken: token });
      seen.push(...page.values);
      if (page.next) expect(page.status).toBe("PartialData");
      token = page.next;
      pages++;
    } while (token);
    expect(pages).toBe(4);
    expect(seen).toEqual(Array.from({ length: 180 }, (_, m) => m));
  });

  it("refuses a NextToken it did not issue for this query", async () => {
    await expect(get("Requests", "Sum", 60, { NextToken: "bogus" })).rejects.toMatchObject({ name: "InvalidNextToken" });
    const first = await get("Requests", "Sum", 60, { MaxDatapoints: 10 });
    await expect(get("Latency", "Sum", 60, { MaxDatapoints: 10, NextToken: first.next })).rejects.toMatchObject({
      name: "InvalidNextToken",
    });
  });

  it("answers 500 queries in one call and refuses 501", async () => {
    const queries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ Id: `q${i}`, MetricStat: { Metric: metric("Requests"), Period: 3600, Stat: "Sum" } }));
    const ok = await client.send(new GetMetricDataCommand({ StartTime: t(0), EndTime: t(180), MetricDataQueries: queries(500) }));
    expect(ok.MetricDataResults).toHaveLength(500);
    await expect(
      client.send(new GetMetricDataCommand({ StartTime: t(0), EndTime: t(180), MetricDataQueries: queries(501) })),
    ).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      message: expect.stringContaining("500"),
    });
  });

  it("says clearly that metric math is not supported, rather than faking it", async () => {
    await expect(
      client.send(
        new GetMetricDataCommand({ StartTime: t(0), EndTime: t(180), MetricDataQueries: [{ Id: "e", Expression: "SUM(METRICS())" }] }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      message: expect.stringContaining("not supported"),
    });
  });
});

describe("bad requests get AWS-shaped errors and change nothing", () => {
  const put = (data: MetricDatum[], namespace = "Bad") => client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
  const cases: [string, () => Promise<unknown>, string][] = [
    [
      "1,001 datums",
      () => put(Array.from({ length: 1001 }, () => ({ MetricName: "m", Value: 1, Timestamp: t(0) }))),
      "InvalidParameterValueException",
    ],
    [
      "31 dimensions",
      () =>
        put([
          { MetricName: "m", Value: 1, Timestamp: t(0), Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: "v" })) },
        ]),
      "InvalidParameterValueException",
    ],
    ["Value with Values", () => put([{ MetricName: "m", Value: 1, Values: [1], Timestamp: t(0) }]), "InvalidParameterCombinationException"],
    ["no value at all", () => put([{ MetricName: "m", Timestamp: t(0) }]), "MissingRequiredParameterException"],
    [
      "Values and Counts of different sizes",
      () => put([{ MetricName: "m", Values: [1, 2], Counts: [1], Timestamp: t(0) }]),
      "InvalidParameterValueException",
    ],
    [
      "a timestamp three weeks old",
      () => put([{ MetricName: "m", Value: 1, Timestamp: new Date(now - 21 * 86_400_000) }]),
      "InvalidParameterValueException",
    ],
    [
      "an unknown unit",
      () => put([{ MetricName: "m", Value: 1, Timestamp: t(0), Unit: "Furlongs" as never }]),
      "InvalidParameterValueException",
    ],
    ["a reserved namespace", () => put([{ MetricName: "m", Value: 1, Timestamp: t(0) }], "AWS/DynamoDB"), "InvalidParameterValueException"],
    [
      "a valid datum after an invalid one",
      () =>
        put([
          { MetricName: "m", Value: 1, Timestamp: t(0) },
          { MetricName: "m", Value: 1e200, Timestamp: t(0) },
        ]),
      "InvalidParameterValueException",
    ],
  ];
  it.each(cases)("refuses %s", async (_, request, name) => {
    await expect(request()).rejects.toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    const listed = await client.send(new ListMetricsCommand({ Namespace: "Bad" }));
    expect(listed.Metrics ?? []).toEqual([]);
  });

  it("answers unknown operations and malformed bodies like AWS", async () => {
    const post = (target: string, body: string) =>
      fetch(endpoint.url, { method: "POST", headers: { "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target }, body });
    const unknown = await post("GraniteServiceVersion20100801.DeleteEverything", "{}");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: expect.stringContaining("UnknownOperationException") });
    const malformed = await post("GraniteServiceVersion20100801.PutMetricData", "{not json");
    expect(await malformed.json()).toMatchObject({ __type: expect.stringContaining("SerializationException") });
    expect(endpoint.store.list({ namespace: "Bad" })).toEqual([]);
  });
});

describe("ListMetrics", () => {
  beforeAll(async () => {
    const data: MetricDatum[] = [];
    for (let i = 0; i < 600; i++)
      data.push({
        MetricName: "Requests",
        Dimensions: [
          { Name: "TenantId", Value: `t${String(i).padStart(3, "0")}` },
          { Name: "StorageInstance", Value: i % 2 ? "pool-a" : "pool-b" },
        ],
        Value: 1,
        Timestamp: t(0),
      });
    for (let i = 0; i < data.length; i += 1000)
      await client.send(new PutMetricDataCommand({ Namespace: "List", MetricData: data.slice(i, i + 1000) }));
    await client.send(
      new PutMetricDataCommand({
        Namespace: "List",
        MetricData: [{ MetricName: "Latency", Dimensions: [{ Name: "StorageInstance", Value: "pool-a" }], Value: 1, Timestamp: t(0) }],
      }),
    );
  });

  it("filters by name and dimensions and pages 500 at a time", async () => {
    const first = await client.send(new ListMetricsCommand({ Namespace: "List", MetricName: "Requests" }));
    expect(first.Metrics).toHaveLength(500);
    const second = await client.send(new ListMetricsCommand({ Namespace: "List", MetricName: "Requests", NextToken: first.NextToken }));
    expect(second.Metrics).toHaveLength(100);
    expect(second.NextToken).toBeUndefined();
    const poolA = await client.send(
      new ListMetricsCommand({ Namespace: "List", Dimensions: [{ Name: "StorageInstance", Value: "pool-a" }] }),
    );
    expect(poolA.Metrics).toHaveLength(301);
    const oneTenant = await client.send(new ListMetricsCommand({ Namespace: "List", Dimensions: [{ Name: "TenantId", Value: "t007" }] }));
    expect(oneTenant.Metrics).toEqual([
      {
        Namespace: "List",
        MetricName: "Requests",
        Dimensions: [
          { Name: "StorageInstance", Value: "pool-a" },
          { Name: "TenantId", Value: "t007" },
        ],
      },
    ]);
    const anyTenant = await client.send(
      new ListMetricsCommand({ Namespace: "List", MetricName: "Latency", Dimensions: [{ Name: "TenantId" }] }),
    );
    expect(anyTenant.Metrics).toEqual([]);
  });
});

describe("persistence and compression", () => {
  it("keeps data across a restart and accepts gzip-compressed batches", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "cw-"));
    try {
      const first = await startCloudWatchEndpoint({ dataDir: dir, now: () => now });
      const data = Array.from({ length: 1000 }, (_, i): MetricDatum => ({
        MetricName: "Big",
        Dimensions: [{ Name: "TenantId", Value: `tenant-with-a-long-name-${i}` }],
        Values: [1, 2, 3],
        Counts: [1, 1, 1],
        Timestamp: t(i % 60),
      }));
      await clientFor(first.url).send(new PutMetricDataCommand({ Namespace: "Persist", MetricData: data }));
      await first.stop();
      const second = await startCloudWatchEndpoint({ dataDir: dir, now: () => now });
      try {
        const result = await clientFor(second.url).send(
          new GetMetricDataCommand({
            StartTime: t(0),
            EndTime: t(60),
            MetricDataQueries: [
              {
                Id: "q",
                MetricStat: {
                  Metric: {
                    Namespace: "Persist",
                    MetricName: "Big",
                    Dimensions: [{ Name: "TenantId", Value: "tenant-with-a-long-name-7" }],
                  },
                  Period: 3600,
                  Stat: "Sum",
                },
              },
            ],
          }),
        );
        expect(result.MetricDataResults![0]!.Values).toEqual([6]);
        expect(second.store.stats().metrics).toBe(1000);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
