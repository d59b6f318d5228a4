import { describe, expect, it } from "vitest";
import { auditDateProblems, auditWhere, csvCell, parseAuditFilters } from "./queries";
import { auditEntry } from "./record";

describe("audit export and filters", () => {
  it("quotes CSV cells and defuses spreadsheet formulas", () => {
    expect(csvCell('Café "Lumière", Paris')).toBe('"Café ""Lumière"", Paris"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(new Date(Date.UTC(2026, 10, 25)))).toBe("2026-11-25T00:00:00.000Z");
  });

  it("ignores malformed filters rather than failing the page", () => {
    expect(parseAuditFilters({ outcome: "maybe", from: "2026-13-45", role: "root", page: "-3" })).toEqual({ page: 1 });
  });

  it("takes dates as whole UTC days", () => {
    const where = auditWhere(parseAuditFilters({ from: "2026-11-24", to: "2026-11-24" }));
    expect(where).toEqual({ AND: [{ at: { gte: new Date("2026-11-24T00:00:00Z") } }, { at: { lt: new Date("2026-11-25T00:00:00Z") } }] });
  });

  it("says what is wrong with a date filter instead of ignoring it silently", () => {
    expect(auditDateProblems({ from: "2026-13-45" })).toEqual(['From "2026-13-45" is not a date (YYYY-MM-DD): it was not applied.']);
    expect(parseAuditFilters({ from: "2026-02-30" }).from).toBeUndefined();
    expect(auditDateProblems({ from: "2026-12-05", to: "2026-12-01" })).toEqual([
      "From (2026-12-05) is after To (2026-12-01): no entry can match.",
    ]);
    expect(auditDateProblems({ from: "2026-12-01", to: "2026-12-01" })).toEqual([]);
  });

  it("filters by tenant and instance among the entry's targets, exactly", () => {
    expect(auditWhere(parseAuditFilters({ tenant: "acme" }))).toEqual({ AND: [{ targets: { has: "tenant:acme" } }] });
    expect(auditWhere(parseAuditFilters({ instance: "pool-1" }))).toEqual({
      AND: [{ targets: { hasSome: ["instance:pool-1", "storageInstance:pool-1"] } }],
    });
  });

  it("records the entry's own target, its operation and what else it touched, once each", () => {
    const row = auditEntry(null, {
      action: "backups.expire",
      targetType: "storageInstance",
      targetId: "pool-1",
      operationId: "op1",
      outcome: "succeeded",
      targets: ["tenant:acme", "instance:pool-1"],
    });
    expect(row.targets).toEqual(["instance:pool-1", "operation:op1", "tenant:acme"]);
  });
});
