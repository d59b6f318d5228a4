import { describe, expect, it } from "vitest";
import { InsightsSpecError, insightsSql, quoteName, quoteValue, type InsightsSpec } from "./insights-sql";

const perTenant: InsightsSpec = {
  metricName: "ConsumedWriteCapacityUnits",
  function: "SUM",
  schema: ["StorageInstance", "TenantId"],
  where: { StorageInstance: "pool-003" },
  groupBy: ["TenantId"],
};

describe("Metrics Insights SQL from a typed spec", () => {
  it("builds the watcher's per-tenant query for a pool", () => {
    expect(insightsSql("TenantStorage", perTenant)).toBe(
      `SELECT SUM(ConsumedWriteCapacityUnits) FROM SCHEMA("TenantStorage", StorageInstance, TenantId) WHERE StorageInstance = 'pool-003' GROUP BY TenantId`,
    );
  });

  it("adds ORDER BY and LIMIT for a top-N query, and reads FROM the namespace without a schema", () => {
    expect(insightsSql("TenantStorage", { ...perTenant, orderBy: { function: "MAX", direction: "DESC" }, limit: 10 })).toMatch(
      / GROUP BY TenantId ORDER BY MAX\(\) DESC LIMIT 10$/,
    );
    expect(insightsSql("AWS/DynamoDB", { metricName: "ThrottledRequests", function: "AVG" })).toBe(
      `SELECT AVG(ThrottledRequests) FROM "AWS/DynamoDB"`,
    );
    expect(insightsSql("N", { metricName: "M", function: "COUNT", schema: [] })).toBe(`SELECT COUNT(M) FROM SCHEMA("N")`);
  });

  it("escapes values and quotes names that are not bare words or are keywords", () => {
    expect(quoteValue("o'neil")).toBe(`'o\\'neil'`);
    expect(quoteValue("back\\slash")).toBe(`'back\\\\slash'`);
    expect(quoteValue("'; DROP")).toBe(`'\\'; DROP'`);
    expect(quoteName("TenantId")).toBe("TenantId");
    expect(quoteName("4XXError")).toBe("4XXError");
    expect(quoteName("My.Metric")).toBe(`"My.Metric"`);
    expect(quoteName(`Bytes"Input"`)).toBe(`"Bytes\\"Input\\""`);
    expect(quoteName("limit")).toBe(`"limit"`);
    expect(quoteName("Count")).toBe(`"Count"`);
    expect(insightsSql(`My"Namespace`, { metricName: "Order", function: "SUM", where: { "Tenant Id": "a'b" } })).toBe(
      `SELECT SUM("Order") FROM "My\\"Namespace" WHERE "Tenant Id" = 'a\\'b'`,
    );
  });

  it("refuses a spec it cannot express, saying each problem", () => {
    const problems = (namespace: string, spec: InsightsSpec) => {
      try {
        insightsSql(namespace, spec);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(InsightsSpecError);
        return (error as InsightsSpecError).problems;
      }
    };
    expect(problems("", { ...perTenant, limit: 501 })).toEqual([
      "the namespace must be a string of 1 to 255 characters",
      "limit must be a whole number from 1 to 500",
    ]);
    expect(problems("N", { ...perTenant, where: { StorageInstance: "" } })).toEqual([
      "where.StorageInstance must be a string of 1 to 1024 characters",
    ]);
    expect(problems("N", { ...perTenant, where: { StorageInstance: "pool\n1" } })).toEqual([
      "where.StorageInstance must not contain control characters",
    ]);
    expect(problems("N", { ...perTenant, where: { Region: "x" }, groupBy: ["Region"] })).toEqual([
      "where.Region: Region is not in the schema, so no metric could match",
      'groupBy: Region is not in the schema, so every series would be "Other"',
    ]);
    expect(problems("N", { ...perTenant, function: "MEDIAN" as never, limit: 0 })).toEqual([
      "function must be one of AVG, COUNT, MAX, MIN, SUM",
      "limit must be a whole number from 1 to 500",
    ]);
    expect(problems("N", { ...perTenant, schema: ["StorageInstance", "StorageInstance"], groupBy: [] })).toEqual([
      "schema names a dimension twice",
    ]);
    expect(problems("N", { ...perTenant, where: { StorageInstance: "x".repeat(1024) }, schema: ["StorageInstance", "TenantId"] })).toEqual(
      [],
    );
    expect(problems("N", { ...perTenant, where: { StorageInstance: "x".repeat(1024), TenantId: "y".repeat(1024) } })).toEqual([
      expect.stringContaining("GetMetricData takes at most 2048"),
    ]);
  });
});
