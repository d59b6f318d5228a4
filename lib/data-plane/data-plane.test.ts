// The library's pure parts: EMF lines against AWS's "Specification: Embedded
// metric format", plan enforcement, value conversion.
import { describe, expect, it } from "vitest";
import { cloudWatchUnits } from "../metrics/contract";
import { PlanEnforcer } from "./enforcement";
import { emfLimits, MetricWindow, windowEmfLines } from "./metric-window";
import { fromAttributeValues, toAttributeValues } from "./values";

/** The specification's MUSTs for one log event. */
function specProblems(line: string): string[] {
  const problems: string[] = [];
  const root = JSON.parse(line) as Record<string, unknown>;
  const aws = root._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (!aws || typeof aws !== "object") return ["no _aws metadata object"];
  if (!Number.isInteger(aws.Timestamp) || (aws.Timestamp as number) < 0) problems.push("_aws.Timestamp is not ms since the epoch");
  if (!Array.isArray(aws.CloudWatchMetrics)) return [...problems, "_aws.CloudWatchMetrics is not an array"];
  for (const directive of aws.CloudWatchMetrics as Record<string, unknown>[]) {
    const keys = Object.keys(directive).sort();
    if (JSON.stringify(keys) !== JSON.stringify(["Dimensions", "Metrics", "Namespace"])) problems.push(`directive members ${keys}`);
    if (typeof directive.Namespace !== "string" || directive.Namespace.length === 0 || directive.Namespace.length > 255)
      problems.push("Namespace");
    const dimensionSets = directive.Dimensions as unknown[];
    if (!Array.isArray(dimensionSets)) problems.push("Dimensions is not an array of dimension sets");
    for (const set of dimensionSets ?? []) {
      if (!Array.isArray(set) || set.length > 30) problems.push("a dimension set is not an array of at most 30 names");
      for (const name of set as unknown[]) {
        const value = root[name as string];
        if (typeof value !== "string" || value.length === 0 || value.length > 1024)
          problems.push(`dimension ${String(name)} has no string value`);
      }
    }
    const metrics = directive.Metrics as { Name?: unknown; Unit?: unknown }[];
    if (!Array.isArray(metrics) || metrics.length > 100) problems.push("Metrics is not an array of at most 100 definitions");
    for (const metric of metrics ?? []) {
      const extra = Object.keys(metric).filter((k) => !["Name", "Unit", "StorageResolution"].includes(k));
      if (extra.length > 0) problems.push(`metric definition members ${extra}`);
      if (typeof metric.Name !== "string" || metric.Name.length === 0 || metric.Name.length > 1024) problems.push("metric Name");
      if (metric.Unit !== undefined && !cloudWatchUnits.has(metric.Unit as string)) problems.push(`unit ${String(metric.Unit)}`);
      const value = root[metric.Name as string];
      const numbers = Array.isArray(value) ? value : [value];
      if (numbers.length === 0 || numbers.length > 100 || !numbers.every((n) => typeof n === "number" && Number.isFinite(n)))
        problems.push(`metric ${String(metric.Name)}'s value is not a number or an array of 1 to 100 numbers`);
    }
  }
  return problems;
}

describe("EMF lines", () => {
  const window = new MetricWindow();
  const acme = window.tenant("acme", "pool-a");
  acme.requests = 260;
  acme.throttled = 10;
  acme.readUnits = 12.5;
  acme.writeUnits = 40;
  acme.latency.add(3.21, 200);
  acme.latency.add(12, 50);
  const instance = window.instance("pool-a");
  instance.requests = 260;
  instance.latency.add(3.2, 250);
  const lines = windowEmfLines(window, "TenantStorage", 1_764_000_000_000, new Map([["acme", { items: 7, bytes: 9_000 }]]));
  const documents = lines.map(
    (line) => JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } },
  );

  it("follow the specification: one JSON object per line, _aws with Timestamp and directives, every referenced member present", () => {
    for (const line of lines) {
      expect(line).not.toContain("\n");
      expect(specProblems(line)).toEqual([]);
    }
  });

  it("carry the contract's metrics and dimensions, each count once", () => {
    const tenantDocs = documents.filter((d) => d.TenantId === "acme");
    expect(tenantDocs[0]).toMatchObject({
      TenantId: "acme",
      StorageInstance: "pool-a",
      Requests: 260,
      ThrottledRequests: 10,
      ConsumedReadCapacityUnits: 12.5,
      StoredItems: 7,
      StoredBytes: 9_000,
    });
    expect(tenantDocs[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([["TenantId", "StorageInstance"]]);
    // Later documents of the tenant carry latency samples only, so Requests is not counted twice.
    expect(tenantDocs.slice(1).every((d) => d.Requests === undefined && Array.isArray(d.Latency))).toBe(true);
    const samples = tenantDocs.flatMap((d) => (d.Latency as number[] | undefined) ?? []);
    expect(samples).toHaveLength(250);
    expect(samples.filter((v) => v === 12)).toHaveLength(50);
    expect(Math.max(...tenantDocs.map((d) => ((d.Latency as number[] | undefined) ?? []).length))).toBeLessThanOrEqual(
      emfLimits.valuesPerMetric,
    );
    const instanceDocs = documents.filter((d) => d.TenantId === undefined);
    expect(instanceDocs[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([["StorageInstance"]]);
    expect(instanceDocs[0]!.StoredItems).toBeUndefined();
  });

  it("the checker refuses what the specification refuses", () => {
    expect(
      specProblems(
        JSON.stringify({ _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: "n", Dimensions: [["D"]], Metrics: [{ Name: "M" }] }] } }),
      ),
    ).toEqual(["dimension D has no string value", "metric M's value is not a number or an array of 1 to 100 numbers"]);
    const many = Array.from({ length: 101 }, (_, i) => i);
    expect(
      specProblems(
        JSON.stringify({
          _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: "n", Dimensions: [], Metrics: [{ Name: "M", Unit: "Count" }] }] },
          M: many,
        }),
      ),
    ).toHaveLength(1);
  });
});

describe("plan enforcement", () => {
  it("admits the burst, then the rate, and refuses past the daily quota until midnight UTC", () => {
    const enforcer = new PlanEnforcer();
    const limits = { ratePerSec: 10, burst: 5, quotaPerDay: 8 };
    const t0 = Date.UTC(2026, 0, 1, 23, 59, 0);
    const first = Array.from({ length: 6 }, () => enforcer.admit("acme", limits, t0));
    expect(first.filter((a) => a.admitted)).toHaveLength(5);
    expect(first[5]).toMatchObject({ admitted: false, reason: "rate" });
    expect(enforcer.admit("acme", limits, t0 + 300)).toMatchObject({ admitted: true });
    expect(enforcer.admit("acme", limits, t0 + 600)).toMatchObject({ admitted: true });
    expect(enforcer.admit("acme", limits, t0 + 900)).toMatchObject({ admitted: true });
    const over = enforcer.admit("acme", limits, t0 + 1_200);
    expect(over).toMatchObject({ admitted: false, reason: "quota" });
    expect(over.admitted ? 0 : over.retryAfterMs).toBe(60_000 - 1_200);
    expect(enforcer.admit("acme", limits, Date.UTC(2026, 0, 2, 0, 0, 1))).toMatchObject({ admitted: true });
    expect(enforcer.admit("globex", limits, t0)).toMatchObject({ admitted: true });
  });
});

describe("values", () => {
  it("round-trip plain values through AttributeValues", () => {
    const item = { PK: "TENANT#acme", n: 4.5, ok: true, none: null, tags: new Set(["a", "b"]), lines: [{ sku: "x", qty: 2 }] };
    const values = toAttributeValues({ ...item, skipped: undefined });
    expect(values.n).toEqual({ N: "4.5" });
    expect(values.skipped).toBeUndefined();
    expect(fromAttributeValues(values)).toEqual(item);
    expect(() => toAttributeValues({ bad: Number.NaN })).toThrow(/finite/);
  });
});
