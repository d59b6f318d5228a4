import { describe, expect, it } from "vitest";
import { publicHealth } from "./public-view";

describe("publicHealth", () => {
  it("keeps the status and the reachable flags only", () => {
    const full = {
      status: "degraded" as const,
      version: "0.1.0",
      checkedAt: "2026-12-02T00:00:00.000Z",
      database: { reachable: true, version: "PostgreSQL 15.8", latencyMs: 3 },
      dynamoDb: { reachable: false, error: "UnrecognizedClientException: The security token included in the request is invalid" },
      cloudWatch: { reachable: true, detail: "42 request metrics" },
    };
    expect(publicHealth(full)).toEqual({
      status: "degraded",
      database: { reachable: true },
      dynamoDb: { reachable: false },
      cloudWatch: { reachable: true },
    });
  });
});
