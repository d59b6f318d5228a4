// The local CloudWatch endpoint, pinned with the real @aws-sdk/client-cloudwatch client.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
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

  it("aggregates over longer periods", async () => {
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

  it("counts periods from StartTime, rounded down to the whole minute, not from the epoch", async () => {
    // StartTime 2 min 34 s past a 5-minute boundary: periods start at t(2), t(7), ...
    const shifted = await get("Requests", "Sum", 300, { StartTime: new Date(t(2).getTime() + 34_000), EndTime: t(22) });
    expect(shifted.timestamps).toEqual([t(2), t(7), t(12), t(17)].map((d) => d.getTime()));
    expect(shifted.values).toEqual([2 + 3 + 4 + 5 + 6, 7 + 8 + 9 + 10 + 11, 12 + 13 + 14 + 15 + 16, 17 + 18 + 19 + 20 + 21]);
    // A range that is not whole periods ends with the partial one.
    const partial = await get("Requests", "Sum", 3600, { StartTime: t(30), EndTime: t(100) });
    expect(partial.timestamps).toEqual([t(30), t(90)].map((d) => d.getTime()));
    expect(partial.values).toEqual([
      Array.from({ length: 60 }, (_, m) => 30 + m).reduce((a, b) => a + b, 0),
      90 + 91 + 92 + 93 + 94 + 95 + 96 + 97 + 98 + 99,
    ]);
  });

  it("accepts periods of 1, 5, 10, 20, 30, 60 and multiples of 60 s, and refuses others as AWS does", async () => {
    for (const period of [1, 5, 10, 20, 30, 60, 120, 86_400]) await expect(get("Requests", "Sum", period)).resolves.toBeDefined();
    for (const period of [7, 45, 90, 0]) {
      await expect(get("Requests", "Sum", period)).rejects.toMatchObject({
        name: "InvalidParameterValueException",
        $metadata: { httpStatusCode: 400 },
        message: expect.stringContaining("Period"),
      });
    }
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

describe("statistic sets", () => {
  beforeAll(async () => {
    const set = (minute: number, SampleCount: number, Sum: number, Minimum: number, Maximum: number): MetricDatum => ({
      MetricName: "Sets",
      Dimensions: dims,
      Timestamp: t(minute),
      Unit: "Milliseconds",
      StatisticValues: { SampleCount, Sum, Minimum, Maximum },
    });
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Test",
        // Minute 0: ten samples all 12 ms; minute 1: one sample; minute 2: values unknown (Minimum < Maximum).
        MetricData: [set(0, 10, 120, 12, 12), set(1, 1, 30, 30, 30), set(2, 5, 50, 2, 20)],
      }),
    );
  });

  it("serves percentiles where all samples are equal (Minimum = Maximum), and none where the values are unknown", async () => {
    expect(await get("Sets", "p99", 60)).toMatchObject({ timestamps: [t(0), t(1)].map((d) => d.getTime()), values: [12, 30] });
    expect((await get("Sets", "p50", 120)).values).toEqual([12]);
    expect((await get("Sets", "p50", 180)).values).toEqual([]);
    expect((await get("Sets", "Average", 180)).values).toEqual([200 / 16]);
  });
});

describe("StartTime and high-resolution periods", () => {
  // High-resolution data in the last 3 hours: one value a second, the value being the second of the minute.
  const recent = now - 30 * 60_000;
  beforeAll(async () => {
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Test",
        MetricData: Array.from({ length: 120 }, (_, s): MetricDatum => ({
          MetricName: "Fast",
          Dimensions: dims,
          Timestamp: new Date(recent + s * 1000),
          Value: s % 60,
          StorageResolution: 1,
        })),
      }),
    );
  });
  const fast = (startMs: number, periodSeconds: number, endMs = recent + 120_000) =>
    get("Fast", "Sum", periodSeconds, { StartTime: new Date(startMs), EndTime: new Date(endMs) });

  it("rounds StartTime down to the period's division of the minute for 20 s periods", async () => {
    const result = await fast(recent + 27_000, 20, recent + 60_000);
    expect(result.timestamps).toEqual([recent + 20_000, recent + 40_000]);
    expect(result.values).toEqual([Array.from({ length: 20 }, (_, s) => 20 + s).reduce((a, b) => a + b, 0), 990]);
  });

  it("answers 1-minute periods from high-resolution data of any age, sub-minute ones only for the last 3 hours", async () => {
    expect((await fast(recent, 60)).values).toEqual([1770, 1770]);
    const old = now - 4 * 3_600_000;
    expect((await fast(old, 10)).values).toEqual([]);
    expect((await fast(old, 60)).values).toEqual([1770, 1770]);
  });
});

describe("GetMetricStatistics", () => {
  const statistics = (input: Partial<ConstructorParameters<typeof GetMetricStatisticsCommand>[0]>) =>
    client.send(
      new GetMetricStatisticsCommand({
        Namespace: "Test",
        MetricName: "Latency",
        Dimensions: dims,
        StartTime: t(0),
        EndTime: t(10),
        Period: 60,
        ...input,
      }),
    );

  it("returns the statistics asked for, per period, with the metric's unit and name", async () => {
    const result = await statistics({ Statistics: ["Sum", "SampleCount", "Average", "Minimum", "Maximum"] });
    expect(result.Label).toBe("Latency");
    const byTime = [...result.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(byTime).toEqual([
      { Timestamp: t(0), Unit: "Milliseconds", Sum: 5050, SampleCount: 100, Average: 50.5, Minimum: 1, Maximum: 100 },
      { Timestamp: t(1), Unit: "Milliseconds", Sum: 500, SampleCount: 1, Average: 500, Minimum: 500, Maximum: 500 },
      { Timestamp: t(5), Unit: "Milliseconds", Sum: 40, SampleCount: 4, Average: 10, Minimum: 2, Maximum: 20 },
    ]);
  });

  it("returns percentiles as ExtendedStatistics, only for periods where CloudWatch can compute them", async () => {
    const result = await statistics({ ExtendedStatistics: ["p50", "p99.9"], StartTime: new Date(t(0).getTime() + 12_000) });
    const byTime = [...result.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(byTime.map((d) => [d.Timestamp!.getTime(), d.ExtendedStatistics])).toEqual([
      [t(0).getTime(), { p50: 50, "p99.9": 100 }],
      [t(1).getTime(), { p50: 500, "p99.9": 500 }],
    ]);
  });

  it("counts periods from StartTime, filters by unit and needs the exact dimensions", async () => {
    // From t(1), the first 5-minute period holds minute 1 (500) and minute 5 (40); minute 0 is before it.
    const five = await statistics({ Statistics: ["Sum"], StartTime: t(1), Period: 300 });
    expect(five.Datapoints!.map((d) => [d.Timestamp!.getTime(), d.Sum])).toEqual([[t(1).getTime(), 540]]);
    expect((await statistics({ Statistics: ["Sum"], Unit: "Seconds" })).Datapoints).toEqual([]);
    expect((await statistics({ Statistics: ["Sum"], Dimensions: [dims[0]!] })).Datapoints).toEqual([]);
  });

  it("refuses what AWS refuses: both kinds of statistics, neither, more than 1,440 datapoints, a bad period", async () => {
    await expect(statistics({ Statistics: ["Sum"], ExtendedStatistics: ["p99"] })).rejects.toMatchObject({
      name: "InvalidParameterCombinationException",
    });
    await expect(statistics({})).rejects.toMatchObject({ name: "MissingRequiredParameterException" });
    await expect(statistics({ Statistics: ["Sum"], StartTime: t(0), EndTime: t(1441) })).rejects.toMatchObject({
      name: "InvalidParameterCombinationException",
      message: expect.stringContaining("exceeds the limit of 1440"),
    });
    await expect(statistics({ Statistics: ["Sum"], StartTime: t(0), EndTime: t(1440) })).resolves.toBeDefined();
    await expect(statistics({ Statistics: ["Sum"], Period: 45 })).rejects.toMatchObject({ name: "InvalidParameterValueException" });
    await expect(statistics({ ExtendedStatistics: ["median"] })).rejects.toMatchObject({ name: "InvalidParameterValueException" });
  });
});

describe("Metrics Insights queries", () => {
  const tenants = { t1: "pool-a", t2: "pool-a", t3: "pool-a", t4: "pool-b" } as const;
  beforeAll(async () => {
    // Per minute for an hour: tenant tN writes N units; the pools' totals (StorageInstance alone) 6 and 4; t5's
    // metric has no StorageInstance; and a tenant whose id needs escaping.
    const data: MetricDatum[] = [];
    const put = (name: string, dimensions: Record<string, string>, value: number) => {
      for (let m = 0; m < 60; m++)
        data.push({
          MetricName: name,
          Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })),
          Timestamp: t(m),
          Value: value,
        });
    };
    for (const [tenant, pool] of Object.entries(tenants))
      put("Writes", { TenantId: tenant, StorageInstance: pool }, Number(tenant.slice(1)));
    put("Writes", { StorageInstance: "pool-a" }, 6);
    put("Writes", { StorageInstance: "pool-b" }, 4);
    put("Writes", { TenantId: "t5" }, 5);
    put("Writes", { TenantId: "o'neil \\ co", StorageInstance: "pool-c" }, 7);
    for (let i = 0; i < data.length; i += 1000)
      await client.send(new PutMetricDataCommand({ Namespace: "Insights", MetricData: data.slice(i, i + 1000) }));
  });

  const insights = async (
    expression: string,
    period = 3600,
    extra: Partial<ConstructorParameters<typeof GetMetricDataCommand>[0]> = {},
  ) => {
    const result = await client.send(
      new GetMetricDataCommand({
        StartTime: t(0),
        EndTime: t(60),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [{ Id: "q", Expression: expression, Period: period }],
        ...extra,
      }),
    );
    return {
      results: result.MetricDataResults!.map((r) => ({
        id: r.Id,
        label: r.Label,
        values: r.Values,
        timestamps: r.Timestamps!.map((d) => d.getTime()),
      })),
      messages: result.Messages ?? [],
    };
  };

  it("returns one series per group, with the query's Id and the group's value as Label, in alphabetical order", async () => {
    const { results } = await insights(
      `SELECT SUM(Writes) FROM SCHEMA("Insights", StorageInstance, TenantId) WHERE StorageInstance = 'pool-a' GROUP BY TenantId`,
    );
    expect(results).toEqual([
      { id: "q", label: "t1", values: [60], timestamps: [t(0).getTime()] },
      { id: "q", label: "t2", values: [120], timestamps: [t(0).getTime()] },
      { id: "q", label: "t3", values: [180], timestamps: [t(0).getTime()] },
    ]);
  });

  it("orders by an aggregate of each series and keeps the top N", async () => {
    const top = await insights(
      `select sum(Writes) from schema(Insights, TenantId, StorageInstance) group by TenantId order by sum() desc limit 2`,
      60,
    );
    expect(top.results.map((r) => [r.label, r.values!.length, r.values![0]])).toEqual([
      ["o'neil \\ co", 60, 7],
      ["t4", 60, 4],
    ]);
    const bottom = await insights(
      `SELECT MAX(Writes) FROM SCHEMA("Insights", StorageInstance, TenantId) GROUP BY TenantId ORDER BY MAX() ASC LIMIT 1`,
    );
    expect(bottom.results.map((r) => r.label)).toEqual(["t1"]);
  });

  it("matches exactly SCHEMA's dimensions; FROM a namespace matches every dimension set, with Other for a missing one", async () => {
    const schema = await insights(`SELECT SUM(Writes) FROM SCHEMA("Insights", StorageInstance) GROUP BY StorageInstance`);
    expect(schema.results.map((r) => [r.label, r.values])).toEqual([
      ["pool-a", [360]],
      ["pool-b", [240]],
    ]);
    const any = await insights(`SELECT SUM(Writes) FROM Insights GROUP BY StorageInstance`);
    expect(any.results.map((r) => [r.label, r.values])).toEqual([
      ["pool-a", [360 + 360]],
      ["pool-b", [240 + 240]],
      ["pool-c", [420]],
      ["Other", [300]],
    ]);
    const multi = await insights(
      `SELECT SUM(Writes) FROM SCHEMA(Insights, StorageInstance, TenantId) WHERE TenantId != 't1' AND StorageInstance != 'pool-c' GROUP BY StorageInstance, TenantId`,
    );
    expect(multi.results.map((r) => r.label)).toEqual(["pool-a t2", "pool-a t3", "pool-b t4"]);
  });

  it("aggregates each period across the matched metrics with AVG, COUNT, MIN, MAX and SUM; one series without GROUP BY", async () => {
    const of = async (fn: string) => (await insights(`SELECT ${fn}(Writes) FROM SCHEMA("Insights", StorageInstance)`, 600)).results;
    expect(await of("SUM")).toEqual([
      { id: "q", label: "q", values: Array(6).fill(100), timestamps: Array.from({ length: 6 }, (_, k) => t(10 * k).getTime()) },
    ]);
    expect((await of("AVG"))[0]!.values).toEqual(Array(6).fill(5));
    expect((await of("COUNT"))[0]!.values).toEqual(Array(6).fill(20));
    expect((await of("MIN"))[0]!.values).toEqual(Array(6).fill(4));
    expect((await of("MAX"))[0]!.values).toEqual(Array(6).fill(6));
    const none = await insights(`SELECT SUM(Writes) FROM SCHEMA("Insights", Nothing)`);
    expect(none.results).toEqual([{ id: "q", label: "q", values: [], timestamps: [] }]);
  });

  it("counts periods from the rounded StartTime, and answers sub-minute periods at one minute", async () => {
    const query = `SELECT SUM(Writes) FROM SCHEMA("Insights", StorageInstance) WHERE StorageInstance = 'pool-b'`;
    const shifted = await insights(query, 300, { StartTime: new Date(t(2).getTime() + 41_000), EndTime: t(12) });
    expect(shifted.results[0]).toMatchObject({ timestamps: [t(2).getTime(), t(7).getTime()], values: [20, 20] });
    const fine = await insights(query, 10, { StartTime: t(0), EndTime: t(3) });
    expect(fine.results[0]).toMatchObject({ timestamps: [t(0), t(1), t(2)].map((d) => d.getTime()), values: [4, 4, 4] });
  });

  it("reads only the last two weeks, saying so, and leaves older data out", async () => {
    endpoint.store.put(
      { namespace: "Insights", name: "Old", dimensions: [{ Name: "StorageInstance", Value: "pool-a" }] },
      { timestampMs: now - 15 * 86_400_000, highResolution: false, values: { values: [1000], counts: [1] } },
      now,
    );
    endpoint.store.put(
      { namespace: "Insights", name: "Old", dimensions: [{ Name: "StorageInstance", Value: "pool-a" }] },
      { timestampMs: t(0).getTime(), highResolution: false, values: { values: [1], counts: [1] } },
      now,
    );
    const wide = { StartTime: new Date(now - 16 * 86_400_000), EndTime: new Date(now) };
    const old = await insights(`SELECT SUM(Old) FROM SCHEMA("Insights", StorageInstance)`, 86_400, wide);
    expect(old.results[0]!.values).toEqual([1]);
    expect(old.messages).toEqual([{ Code: "MaxQueryTimeRangeExceeded", Value: expect.any(String) }]);
    const metricStat = await client.send(
      new GetMetricDataCommand({
        ...wide,
        MetricDataQueries: [
          {
            Id: "m",
            MetricStat: {
              Metric: { Namespace: "Insights", MetricName: "Old", Dimensions: [{ Name: "StorageInstance", Value: "pool-a" }] },
              Period: 86_400,
              Stat: "Sum",
            },
          },
        ],
      }),
    );
    expect(metricStat.MetricDataResults![0]!.Values!.reduce((a, b) => a + b, 0)).toBe(1001);
  });

  it("returns at most 500 series, saying so; LIMIT may not ask for more", async () => {
    await client.send(
      new PutMetricDataCommand({
        Namespace: "Many",
        MetricData: Array.from({ length: 600 }, (_, i): MetricDatum => ({
          MetricName: "Writes",
          Dimensions: [{ Name: "TenantId", Value: `tenant-${String(i).padStart(3, "0")}` }],
          Timestamp: t(0),
          Value: i,
        })),
      }),
    );
    const all = await insights(`SELECT SUM(Writes) FROM Many GROUP BY TenantId`);
    expect(all.results).toHaveLength(500);
    expect(all.results[499]!.label).toBe("tenant-499");
    expect(all.messages.map((m) => m.Code)).toEqual(["MaxQueryResultsExceeded"]);
    const top = await insights(`SELECT SUM(Writes) FROM Many GROUP BY TenantId ORDER BY SUM() DESC`);
    expect(top.results[0]!.label).toBe("tenant-599");
    await expect(insights(`SELECT SUM(Writes) FROM Many GROUP BY TenantId LIMIT 501`)).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      message: expect.stringContaining("LIMIT"),
    });
  });

  it("refuses what it does not parse, saying what and where", async () => {
    const refused = async (expression: string, says: string) =>
      expect(insights(expression)).rejects.toMatchObject({
        name: "InvalidParameterValueException",
        $metadata: { httpStatusCode: 400 },
        message: expect.stringContaining(says),
      });
    await refused(`SELECT SUM(Writes) FROM Insights WHERE TenantId = 't1' OR TenantId = 't2'`, "joined by AND");
    await refused(`SELECT MEDIAN(Writes) FROM Insights`, "expected one of AVG, COUNT, MAX, MIN, SUM");
    await refused(`SELECT SUM(Writes) FROM AWS/EC2`, "double quotes");
    await refused(`SELECT SUM(Writes) FROM Insights WHERE TenantId = "t1"`, "single quotation marks");
    await refused(`SELECT SUM(Writes) FROM Insights WHERE TenantId = 't1`, "never closed");
    await refused(`SELECT SUM(Limit) FROM Insights`, "keyword");
    await refused(`SELECT SUM(Writes) FROM Insights GROUP TenantId`, "expected BY");
    await expect(
      client.send(
        new GetMetricDataCommand({
          StartTime: t(0),
          EndTime: t(60),
          MetricDataQueries: [
            { Id: "a", Expression: "SELECT SUM(Writes) FROM Insights", Period: 60 },
            { Id: "b", Expression: "SELECT MAX(Writes) FROM Insights", Period: 60 },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      message: expect.stringContaining("only one Metrics Insights query"),
    });
    await expect(
      client.send(
        new GetMetricDataCommand({
          StartTime: t(0),
          EndTime: t(60),
          MetricDataQueries: [{ Id: "a", Expression: "SELECT SUM(Writes) FROM Insights" }],
        }),
      ),
    ).rejects.toMatchObject({ name: "MissingRequiredParameterException" });
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
