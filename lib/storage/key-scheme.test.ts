import { describe, expect, it } from "vitest";
import {
  checkKeyScheme,
  defaultKeyScheme,
  describeKeyScheme,
  entityPartition,
  leadingKeysPattern,
  ownsPartition,
  parseTemplate,
  sameKeyLayout,
  tenantKeyPrefix,
  tenantOfPartition,
  tenantPartitions,
  type KeyScheme,
} from "./key-scheme";

const scheme = (template: string | null, more: Partial<KeyScheme> = {}): KeyScheme => ({ ...defaultKeyScheme, template, ...more });
const entities = ["orders", "events"];

describe("key-scheme templates", () => {
  it("parses the three shapes", () => {
    expect(parseTemplate("{tenantId}#{entity}")).toEqual({ ok: true, template: { before: "", after: "#", shape: "entity" } });
    expect(parseTemplate("TENANT#{tenantId}")).toEqual({ ok: true, template: { before: "TENANT#", after: "", shape: "exact" } });
    expect(parseTemplate("ORG#{tenantId}#...")).toEqual({ ok: true, template: { before: "ORG#", after: "#", shape: "any" } });
  });

  it("refuses templates whose tenant id could run into what follows, naming why", () => {
    for (const bad of ["T{tenantId}{entity}", "ORG#{tenantId}...", "{tenantId}x#...", "{tenantId}-{entity}", "ORG#{tenantId}9"]) {
      const parsed = parseTemplate(bad);
      expect(parsed.ok, bad).toBe(false);
      expect(parsed.ok ? "" : parsed.reason, bad).toMatch(/ambiguous/);
    }
    expect(parseTemplate("ORG#")).toMatchObject({ ok: false, reason: expect.stringMatching(/must contain \{tenantId\}/) });
    expect(parseTemplate("{tenantId}#{tenantId}")).toMatchObject({ ok: false, reason: expect.stringMatching(/only once/) });
    expect(parseTemplate("{tenantId}#{region}")).toMatchObject({ ok: false, reason: expect.stringMatching(/placeholders/) });
    expect(parseTemplate("{entity}#{tenantId}")).toMatchObject({ ok: false });
  });

  it("renders the tenant's prefix and partitions", () => {
    expect(tenantKeyPrefix(defaultKeyScheme, "acme")).toBe("acme#");
    expect(tenantPartitions(defaultKeyScheme, "acme", entities)).toEqual(["acme#orders", "acme#events"]);
    expect(tenantPartitions(scheme("TENANT#{tenantId}"), "acme", entities)).toEqual(["TENANT#acme"]);
    expect(tenantPartitions(scheme("ORG#{tenantId}#..."), "acme", entities)).toBeNull();
    expect(entityPartition(defaultKeyScheme, "acme", "orders")).toBe("acme#orders");
    expect(() => entityPartition(scheme("TENANT#{tenantId}"), "acme", "orders")).toThrow(/no \{entity\} partitions/);
  });

  it("matches a tenant's partitions and never a tenant whose id merely begins the same", () => {
    const exact = scheme("TENANT#{tenantId}");
    expect(ownsPartition(exact, "acme", "TENANT#acme")).toBe(true);
    expect(ownsPartition(exact, "acme", "TENANT#acme2")).toBe(false);
    expect(ownsPartition(exact, "acme", "TENANT#acme#x")).toBe(false);
    const any = scheme("ORG#{tenantId}#...");
    expect(ownsPartition(any, "acme", "ORG#acme#users")).toBe(true);
    expect(ownsPartition(any, "acme", "ORG#acme-eu#users")).toBe(false);
    expect(ownsPartition(any, "acme", "ORG#acme#")).toBe(false);
    expect(ownsPartition(defaultKeyScheme, "acme", "acme#orders")).toBe(true);
    expect(ownsPartition(defaultKeyScheme, "acme", "globex#orders")).toBe(false);
  });

  it("tells which tenant a partition belongs to", () => {
    expect(tenantOfPartition(defaultKeyScheme, "acme-eu#orders")).toBe("acme-eu");
    expect(tenantOfPartition(scheme("TENANT#{tenantId}"), "TENANT#acme")).toBe("acme");
    expect(tenantOfPartition(scheme("ORG#{tenantId}#..."), "ORG#acme#users#1")).toBe("acme");
    expect(tenantOfPartition(scheme("ORG#{tenantId}#..."), "USER#acme#1")).toBeNull();
    expect(tenantOfPartition(defaultKeyScheme, "ACME#orders")).toBeNull();
    expect(tenantOfPartition(defaultKeyScheme, "#orders")).toBeNull();
  });

  it("gives IAM's LeadingKeys pattern, exact for one partition per tenant", () => {
    expect(leadingKeysPattern(defaultKeyScheme, "acme")).toBe("acme#*");
    expect(leadingKeysPattern(scheme("TENANT#{tenantId}"), "acme")).toBe("TENANT#acme");
    expect(leadingKeysPattern(scheme("A*?{tenantId}#..."), "acme")).toBe("A${*}${?}acme#*");
  });
});

describe("key-scheme registration", () => {
  it("takes the default for what is not said", () => {
    expect(checkKeyScheme({}, "pool")).toMatchObject({ ok: true, scheme: defaultKeyScheme });
    expect(checkKeyScheme(undefined, "silo")).toMatchObject({ ok: true, scheme: defaultKeyScheme });
  });

  it("accepts a single-table design's names", () => {
    const checked = checkKeyScheme({ partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}", tenantAttribute: null }, "pool");
    expect(checked).toMatchObject({ ok: true, scheme: { partitionKey: "PK", sortKey: "SK", tenantAttribute: null } });
  });

  it("refuses a pool whose keys do not carry the tenant, and says why", () => {
    const checked = checkKeyScheme({ template: null, tenantAttribute: "orgId", tenantIndex: "byOrg" }, "pool");
    expect(checked.ok).toBe(false);
    expect(checked.ok ? [] : checked.reasons.join()).toMatch(/LeadingKeys/);
    expect(checkKeyScheme({ template: null, tenantAttribute: "orgId", tenantIndex: "byOrg" }, "silo")).toMatchObject({ ok: true });
  });

  it("lists every reason at once", () => {
    const checked = checkKeyScheme({ partitionKey: "id", sortKey: "id", template: "X{tenantId}{entity}", unknown: 1 }, "pool");
    expect(checked.ok).toBe(false);
    const again = checkKeyScheme({ partitionKey: "id", sortKey: "id", template: "X{tenantId}{entity}" }, "pool");
    expect(again.ok ? [] : again.reasons).toHaveLength(2);
  });

  it("notes that a prefix of unknown partitions is found by scanning", () => {
    const checked = checkKeyScheme({ template: "ORG#{tenantId}#..." }, "pool");
    expect(checked.ok && checked.notes.join()).toMatch(/Scan/);
  });

  it("copies verbatim only between identical layouts", () => {
    expect(sameKeyLayout(defaultKeyScheme, { ...defaultKeyScheme })).toBe(true);
    expect(sameKeyLayout(defaultKeyScheme, scheme("TENANT#{tenantId}"))).toBe(false);
    expect(sameKeyLayout(defaultKeyScheme, { ...defaultKeyScheme, sortKey: "SK" })).toBe(false);
    expect(describeKeyScheme(defaultKeyScheme)).toBe(
      "pk = {tenantId}#{entity}, sort key sk; tenant in tenantId; writes stamped in updatedAt",
    );
  });
});
