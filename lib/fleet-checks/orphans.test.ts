import { describe, expect, it } from "vitest";
import type { DataCopy } from "../operations/definition";
import { locateCopies, type CopyEvent } from "./orphans";

const acme = { tenantId: "acme", keyPrefix: "acme#" };
const table = (name: string) => ({ storageInstanceId: name, tableName: `tsc-${name}`, region: "us-east-1" });
const event = (at: number, copy: Partial<DataCopy> & Pick<DataCopy, "table" | "effect">, operationId = `op${at}`): CopyEvent => ({
  at,
  operationId,
  copy: { tenant: acme, what: `${copy.effect} by ${operationId}`, ...copy },
});

describe("where copies may be left", () => {
  const now = 1_000;

  it("keeps a succeeded migration's source copy within its window, and lets it go after", () => {
    const events = [event(100, { table: table("pool-a"), effect: "holds", keptUntil: 2_000 })];
    expect(locateCopies(events, now)).toMatchObject([{ tenantId: "acme", table: { tableName: "tsc-pool-a" }, keptUntil: 2_000 }]);
    expect(locateCopies(events, 3_000)).toMatchObject([{ keptUntil: null }]);
  });

  it("forgets a copy once it was removed, until something leaves items there again", () => {
    const events = [
      event(100, { table: table("pool-a"), effect: "holds", keptUntil: 2_000 }),
      event(200, { table: table("pool-a"), effect: "removed" }),
    ];
    expect(locateCopies(events, now)).toEqual([]);
    const back = [...events, event(300, { table: table("pool-a"), effect: "holds" })];
    expect(locateCopies(back, now)).toMatchObject([{ origins: [{ what: "holds by op300", operationId: "op300" }], keptUntil: null }]);
  });

  it("orders by when operations ended, not as given", () => {
    const events = [event(200, { table: table("pool-a"), effect: "removed" }), event(100, { table: table("pool-a"), effect: "holds" })];
    expect(locateCopies(events, now)).toEqual([]);
  });

  it("stays kept while any copy since the last removal is kept (a rollback undone within the migration's window)", () => {
    const events = [
      event(100, { table: table("pool-a"), effect: "holds", keptUntil: 2_000 }),
      event(150, { table: table("pool-a"), effect: "holds" }),
    ];
    expect(locateCopies(events, now)).toMatchObject([
      { keptUntil: 2_000, origins: [{ what: "holds by op100" }, { what: "holds by op150" }] },
    ]);
  });

  it("treats a dropped table as removing every tenant's copy in it", () => {
    const events = [
      event(100, { table: table("silo-acme"), effect: "holds" }),
      event(100, { table: table("silo-acme"), effect: "holds", tenant: { tenantId: "other", keyPrefix: "other#" } }),
      event(200, { table: table("silo-acme"), effect: "removed", tenant: null }),
    ];
    expect(locateCopies(events, now)).toEqual([]);
  });

  it("keeps tenants and tables apart, and marks a table made for its copy", () => {
    const events = [
      event(100, { table: table("pool-a"), effect: "holds" }),
      event(100, { table: table("pool-a"), effect: "removed", tenant: { tenantId: "other", keyPrefix: "other#" } }),
      event(100, {
        table: { storageInstanceId: null, tableName: "tsc-restore-acme-1", region: "us-east-1" },
        effect: "holds",
        ownTable: true,
      }),
    ];
    expect(locateCopies(events, now).map((l) => [l.tenantId, l.table.tableName, l.ownTable])).toEqual([
      ["acme", "tsc-pool-a", false],
      ["acme", "tsc-restore-acme-1", true],
    ]);
  });
});
