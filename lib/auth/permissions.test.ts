import { describe, expect, it } from "vitest";
import { can, permissions } from "./permissions";

const changes = permissions.filter((p) => !p.endsWith(".read"));

describe("permission matrix", () => {
  it("lets support read everything and change nothing", () => {
    for (const permission of permissions) {
      expect(can("support", permission), permission).toBe(permission.endsWith(".read"));
    }
  });

  it("lets operators change tenant storage but not plans or users", () => {
    expect(can("operator", "tenants.onboard")).toBe(true);
    expect(can("operator", "tenants.migrate")).toBe(true);
    expect(can("operator", "tenants.restore")).toBe(true);
    expect(can("operator", "plans.manage")).toBe(false);
    expect(can("operator", "users.manage")).toBe(false);
  });

  it("lets operators approve proposed remediations and only admins set the remediation policy", () => {
    expect(can("operator", "findings.approve")).toBe(true);
    expect(can("admin", "findings.approve")).toBe(true);
    expect(can("support", "findings.approve")).toBe(false);
    expect(can("admin", "findings.configure")).toBe(true);
    expect(can("operator", "findings.configure")).toBe(false);
    expect(can("support", "findings.configure")).toBe(false);
  });

  it("gives admins every permission", () => {
    for (const permission of [...changes, ...permissions]) expect(can("admin", permission)).toBe(true);
  });
});
