// Item keys and ownership under key schemes: keys of every type round-trip,
// tables without a sort key work, and an item belongs to a tenant only when
// its partition key, entity and tenant attribute all say so.
import { describe, expect, it } from "vitest";
import { defaultKeyScheme, keySchemeFor } from "./key-scheme";
import { assertTenantItem, describeKey, itemKey, keyFromItemKey, ownerOfItem } from "./tenant-partitions";

const exact = keySchemeFor({ partitionKey: "PK", sortKey: "SK", template: "TENANT#{tenantId}", tenantAttribute: null }, "pool");
const org = keySchemeFor({ template: "ORG#{tenantId}#...", sortKey: null, tenantAttribute: "orgId" }, "pool");

describe("item keys", () => {
  it("keep the default scheme's format (recorded in operation outputs) and round-trip", () => {
    const item = { pk: { S: "acme#orders" }, sk: { S: "00000001" }, tenantId: { S: "acme" } };
    expect(itemKey(defaultKeyScheme, item)).toBe("acme#orders\u001f00000001");
    expect(keyFromItemKey(defaultKeyScheme, "acme#orders\u001f00000001")).toEqual({ pk: item.pk, sk: item.sk });
  });

  it("use the scheme's attribute names, and number sort keys round-trip without colliding with strings", () => {
    const numbered = { PK: { S: "TENANT#acme" }, SK: { N: "42" } };
    const text = { PK: { S: "TENANT#acme" }, SK: { S: "42" } };
    expect(itemKey(exact, numbered)).not.toBe(itemKey(exact, text));
    expect(keyFromItemKey(exact, itemKey(exact, numbered))).toEqual(numbered);
    expect(keyFromItemKey(exact, itemKey(exact, text))).toEqual(text);
    expect(describeKey(itemKey(exact, numbered))).toBe("TENANT#acme / 42");
  });

  it("a table without a sort key: the partition key alone", () => {
    const item = { pk: { S: "ORG#acme#p1" }, orgId: { S: "acme" } };
    expect(itemKey(org, item)).toBe("ORG#acme#p1");
    expect(keyFromItemKey(org, "ORG#acme#p1")).toEqual({ pk: { S: "ORG#acme#p1" } });
  });
});

describe("whose item it is", () => {
  const residents = new Map([
    ["acme", { tenantId: "acme", entities: ["orders"] }],
    ["acme-corp", { tenantId: "acme-corp", entities: ["orders", "events"] }],
  ]);

  it("by the partition key's tenant, an entity that lives here and the tenant attribute", () => {
    expect(ownerOfItem(defaultKeyScheme, { pk: { S: "acme#orders" }, tenantId: { S: "acme" } }, residents)?.tenantId).toBe("acme");
    expect(ownerOfItem(defaultKeyScheme, { pk: { S: "acme#events" }, tenantId: { S: "acme" } }, residents)).toBeUndefined();
    expect(ownerOfItem(defaultKeyScheme, { pk: { S: "acme#orders" }, tenantId: { S: "acme-corp" } }, residents)).toBeUndefined();
    expect(ownerOfItem(exact, { PK: { S: "TENANT#acme-corp" } }, residents)?.tenantId).toBe("acme-corp");
    expect(ownerOfItem(exact, { PK: { S: "TENANT#initech" } }, residents)).toBeUndefined();
  });

  it("the writers' check refuses an exact template's near miss and a wrong tenant attribute", () => {
    expect(() => assertTenantItem({ tenantId: "acme", keyScheme: exact }, { PK: { S: "TENANT#acme-corp" } })).toThrow(/refusing item PK/);
    expect(() => assertTenantItem({ tenantId: "acme", keyScheme: org }, { pk: { S: "ORG#acme#x" }, orgId: { S: "globex" } })).toThrow(
      /orgId globex/,
    );
    expect(() => assertTenantItem({ tenantId: "acme", keyScheme: org }, { pk: { S: "ORG#acme#x" } }, "key")).not.toThrow();
  });
});
