import { describe, expect, it } from "vitest";
import { headroomCeiling, headroomRefusal, headroomShortfall } from "./headroom";

describe("migration target headroom", () => {
  const pool = (p95WithTenant: number) => ({ id: "pool-b", kind: "pool" as const, p95WithTenant });

  it("blocks a pool the tenant would take above the placement ceiling, and one already over 100 % busy", () => {
    expect(headroomShortfall(pool(headroomCeiling))).toBeNull();
    expect(headroomShortfall(pool(0.3))).toBeNull();
    expect(headroomShortfall(pool(headroomCeiling + 0.01))).toMatch(/^pool-b would be 81 % busy .* above the 80 % placement ceiling$/);
    expect(headroomShortfall(pool(headroomCeiling + 0.003))).toMatch(/would be 80\.3 % busy/);
    expect(headroomShortfall(pool(1.35))).toMatch(/135 %/);
  });

  it("never blocks a new silo of the tenant's own", () => {
    expect(headroomShortfall({ id: "new-silo", kind: "silo", p95WithTenant: 2 })).toBeNull();
  });

  it("refuses without an override reason, not with one (blank is no reason)", () => {
    const shortfall = headroomShortfall(pool(1.2));
    expect(headroomRefusal(shortfall, undefined)).toMatch(/override the headroom check and say why/);
    expect(headroomRefusal(shortfall, "   ")).not.toBeNull();
    expect(headroomRefusal(shortfall, "pool-b is being resized tonight")).toBeNull();
    expect(headroomRefusal(null, undefined)).toBeNull();
  });
});
