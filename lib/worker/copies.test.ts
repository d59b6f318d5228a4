// What each kind says it leaves behind (OperationDefinition.copies), the orphan
// check's candidates: read from the steps as they record them.
import { describe, expect, it } from "vitest";
import { recordedOutputs, type JsonObject, type StepRecord } from "../operations/definition";
import { operationDefinitions } from "./kinds";

const move = {
  tenantId: "acme",
  keyPrefix: "acme#",
  entities: ["orders", "customers", "invoices", "events"],
  source: { storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1", mode: "pool" },
  target: { storageInstanceId: "pool-b", tableName: "tsc-pool-b", region: "us-east-1", mode: "pool" },
  targetModel: "pool",
  copyRatePerSec: 0,
  removeTargetOnUndo: true,
  createdInstanceId: null,
};

function copiesOf(kind: string, parameters: unknown, status: string, steps: [string, StepRecord["status"], JsonObject?][]) {
  const definition = operationDefinitions[kind]!;
  const records = steps.map(([name, state, output]) => ({ name, label: name, status: state, changesTenant: true, output }));
  return definition.copies!({
    id: "op1",
    status,
    parameters: definition.parameters.parse(parameters),
    steps: records,
    ...recordedOutputs(records),
  }).map((copy) => [copy.tenant?.tenantId ?? null, copy.table.tableName, copy.effect, copy.keptUntil ?? null, copy.ownTable ?? false]);
}

const migrate = { tenantId: "acme", target: "pool-b", copyRatePerSec: 0 };
const validated = { move, items: 10, sourceModel: "pool", rollbackWindowMs: 3_600_000 };

describe("what operations leave behind", () => {
  it("a succeeded migration: its source copy, kept for the rollback window from the cut-over, and the target", () => {
    expect(
      copiesOf("migrate", migrate, "succeeded", [
        ["validate", "done", validated],
        ["start", "done", { copyFrom: 0 }],
        ["cutOver", "done", { freezeMs: 100, switchedAt: 1_000, version: 3 }],
      ]),
    ).toEqual([
      ["acme", "tsc-pool-a", "holds", 3_601_000, false],
      ["acme", "tsc-pool-b", "holds", null, false],
    ]);
  });

  it("a failed migration: its target copy once it started copying (undone, or left when undoing failed), nothing kept", () => {
    expect(
      copiesOf("migrate", migrate, "failed", [
        ["validate", "done", validated],
        ["start", "done", { copyFrom: 0 }],
        ["copy", "failed"],
      ]),
    ).toEqual([
      ["acme", "tsc-pool-a", "holds", null, false],
      ["acme", "tsc-pool-b", "holds", null, false],
    ]);
    expect(
      copiesOf("migrate", migrate, "failed", [
        ["validate", "done", validated],
        ["start", "pending"],
      ]),
    ).toEqual([["acme", "tsc-pool-a", "holds", null, false]]);
    expect(copiesOf("migrate", migrate, "failed", [["validate", "failed"]])).toEqual([]);
  });

  it("a rollback: the copy it abandoned, removed once its last step is done", () => {
    const back = {
      move: { ...move, source: move.target, target: move.source, removeTargetOnUndo: false },
      since: 0,
      abandonedInstanceId: null,
    };
    const steps: [string, StepRecord["status"], JsonObject?][] = [
      ["validate", "done", back],
      ["start", "done", { copyFrom: 0 }],
    ];
    expect(
      copiesOf("rollback_migration", { migrationId: "cmwv0000000000000000000000" }, "succeeded", [...steps, ["removeAbandoned", "done"]]),
    ).toEqual([
      ["acme", "tsc-pool-b", "removed", null, false],
      ["acme", "tsc-pool-a", "holds", null, false],
    ]);
    expect(copiesOf("rollback_migration", { migrationId: "cmwv0000000000000000000000" }, "failed", steps)[0]).toEqual([
      "acme",
      "tsc-pool-b",
      "holds",
      null,
      false,
    ]);
  });

  it("a migration's clean-up: the source copy removed, once deleted", () => {
    const steps: [string, StepRecord["status"], JsonObject?][] = [["validate", "done", { move }]];
    expect(
      copiesOf("cleanup_migration", { migrationId: "cmwv0000000000000000000000" }, "succeeded", [...steps, ["delete", "done"]]),
    ).toEqual([["acme", "tsc-pool-a", "removed", null, false]]);
    expect(
      copiesOf("cleanup_migration", { migrationId: "cmwv0000000000000000000000" }, "failed", [...steps, ["delete", "failed"]]),
    ).toEqual([]);
  });

  it("a restore to a side table: the side table, made for it alone; in place or a dry run: nothing", () => {
    const plan = {
      tenant: { tenantId: "acme", keyPrefix: "acme#" },
      targets: [{ storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1", entities: ["orders"] }],
      source: { kind: "backup", backupId: "b1", location: "backups/b1/" },
      sideTable: "tsc-restore-acme-00000001",
    };
    const parameters = (mode: string) => ({ tenantId: "acme", source: { kind: "backup", backupId: "cmwv0000000000000000000000" }, mode });
    expect(
      copiesOf("restore", parameters("side_table"), "succeeded", [
        ["validate", "done", { plan }],
        ["sideTable", "done", { sideTable: plan.sideTable, region: "us-east-1", items: 5 }],
      ]),
    ).toEqual([["acme", "tsc-restore-acme-00000001", "holds", null, true]]);
    expect(
      copiesOf("restore", parameters("in_place"), "succeeded", [
        ["validate", "done", { plan: { ...plan, sideTable: null } }],
        ["unfreeze", "done", { frozenMs: 100 }],
      ]),
    ).toEqual([]);
  });

  it("an orphan's clean-up: the copy, or the whole table, removed once deleted", () => {
    const table = { storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1" };
    expect(
      copiesOf("cleanup_orphan", { target: "tenantCopy", tenantId: "acme", tableName: "tsc-pool-a", region: "us-east-1" }, "succeeded", [
        ["validate", "done", { tenant: { tenantId: "acme", keyPrefix: "acme#" }, table, items: 3, ownTable: false }],
        ["delete", "done"],
      ]),
    ).toEqual([["acme", "tsc-pool-a", "removed", null, false]]);
    expect(
      copiesOf(
        "cleanup_orphan",
        { target: "table", storageInstanceId: "pool-a", tableName: "tsc-pool-a", region: "us-east-1" },
        "succeeded",
        [
          ["validate", "done", { tenant: null, table, items: 0, ownTable: false }],
          ["delete", "done"],
        ],
      ),
    ).toEqual([[null, "tsc-pool-a", "removed", null, false]]);
  });
});
