// The rule every kind that freezes a tenant's writes must keep: it has a point
// of no return, at the step that lets writes resume (or switches where they
// go), so nothing that ran once the tenant could write again is ever undone.
import { describe, expect, it } from "vitest";
import { stepsOf } from "../operations/definition";
import { restoreOperation } from "../backup/restore-operation";
import { operationDefinitions } from "./kinds";

const freezing = Object.entries(operationDefinitions).filter(([, definition]) => definition.steps.some((step) => step.holdsFreeze));

describe("points of no return", () => {
  it("every kind that holds a freeze and can be undone has one, at its last freeze-holding step", () => {
    expect(freezing.map(([kind]) => kind).sort()).toEqual(["integration_check", "migrate", "restore", "rollback_migration"]);
    for (const [kind, definition] of freezing) {
      const holding = definition.steps.filter((step) => step.holdsFreeze);
      expect(definition.compensate, kind).toBeDefined();
      expect(definition.pointOfNoReturn, kind).toBe(holding.at(-1)!.name);
    }
  });

  it("is the restore's unfreeze and the migrations' cut-over", () => {
    expect(operationDefinitions.restore!.pointOfNoReturn).toBe("unfreeze");
    expect(operationDefinitions.migrate!.pointOfNoReturn).toBe("cutOver");
    expect(operationDefinitions.rollback_migration!.pointOfNoReturn).toBe("cutOver");
  });

  it("names a step the kind runs", () => {
    for (const [kind, definition] of Object.entries(operationDefinitions)) {
      if (!definition.pointOfNoReturn) continue;
      expect(
        definition.steps.map((step) => step.name),
        kind,
      ).toContain(definition.pointOfNoReturn);
    }
    // A restore to a side table, or a dry run, never freezes the tenant, so it has nothing to pass.
    for (const mode of ["side_table", "dry_run"] as const) {
      const steps = stepsOf(restoreOperation, { tenantId: "t", source: { kind: "backup", backupId: "b" }, mode });
      expect(steps.some((step) => step.holdsFreeze)).toBe(false);
    }
  });
});
