import { describe, expect, it } from "vitest";
import { auditWhere, csvCell, parseAuditFilters } from "./queries";

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
});
