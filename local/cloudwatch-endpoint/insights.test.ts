import { describe, expect, it } from "vitest";
import { insightsSql, type InsightsSpec } from "../../lib/metrics/insights-sql";
import { InsightsSyntaxError, parseInsights } from "./insights";

describe("parsing Metrics Insights queries", () => {
  it("reads back every query the console's builder writes, escapes included", () => {
    const specs: [string, InsightsSpec][] = [
      [
        "TenantStorage",
        {
          metricName: "ConsumedWriteCapacityUnits",
          function: "SUM",
          schema: ["TenantId", "StorageInstance"],
          where: { StorageInstance: "pool-003" },
          groupBy: ["TenantId"],
          orderBy: { function: "MAX", direction: "DESC" },
          limit: 10,
        },
      ],
      [`My"Name\\space`, { metricName: "Order", function: "AVG", where: { "Tenant Id": `o'neil \\ co` } }],
      ["N", { metricName: "M", function: "COUNT", schema: [] }],
    ];
    for (const [namespace, spec] of specs) {
      const sql = insightsSql(namespace, spec);
      expect(parseInsights(sql)).toEqual({
        function: spec.function,
        metric: spec.metricName,
        namespace,
        schema: spec.schema ? [...spec.schema].sort() : null,
        where: Object.entries(spec.where ?? {}).map(([name, value]) => ({ name, equal: true, value })),
        groupBy: spec.groupBy ?? [],
        orderBy: spec.orderBy ? { function: spec.orderBy.function, descending: spec.orderBy.direction === "DESC" } : null,
        limit: spec.limit ?? null,
      });
    }
  });

  it("takes keywords in any case, != conditions, and ORDER BY without a direction (ascending)", () => {
    expect(parseInsights(`select max(Latency) from "AWS/EC2" where a != 'x' and b = 'y' group by a, b order by avg()`)).toMatchObject({
      function: "MAX",
      namespace: "AWS/EC2",
      where: [
        { name: "a", equal: false, value: "x" },
        { name: "b", equal: true, value: "y" },
      ],
      groupBy: ["a", "b"],
      orderBy: { function: "AVG", descending: false },
    });
  });

  it.each([
    ["SUM(x) FROM n", "expected SELECT"],
    ["SELECT SUM x FROM n", `expected "("`],
    ["SELECT SUM(x) n", "expected FROM"],
    ["SELECT SUM(x) FROM SCHEMA(n, a, a)", "names a dimension twice"],
    ["SELECT SUM(x) FROM n WHERE a > 'b'", `unexpected character ">"`],
    ["SELECT SUM(x) FROM n WHERE a IN ('b')", "expected = or !="],
    ["SELECT SUM(x) FROM n WHERE a = 'b' OR a = 'c'", "joined by AND"],
    ["SELECT SUM(x) FROM n ORDER BY SUM", `expected "("`],
    ["SELECT SUM(x) FROM n LIMIT many", "whole number"],
    ["SELECT SUM(x) FROM n LIMIT 0", "from 1 to 500"],
    ["SELECT SUM(x) FROM n GROUP BY a extra", "unexpected extra"],
    ["SELECT SUM(select) FROM n", "keyword"],
    ['SELECT SUM("") FROM n', "is empty"],
  ])("refuses %s", (query, says) => {
    expect(() => parseInsights(query)).toThrow(InsightsSyntaxError);
    expect(() => parseInsights(query)).toThrow(says);
  });
});
