// Cleaning up what the orphan check lists (orphans.ts), as an operation:
//   validate (still orphaned? checked again now) → delete
// A tenant's copy: its items in that table are deleted, page by page, reading
// and deleting only its partitions through its scoped client (a table made
// for that copy alone is then dropped); the operation holds the tenant, so no
// migration or restore starts meanwhile. A retired instance's table: dropped,
// after checking once more that no routing record or tenant uses it. Both are
// safe to repeat, so a worker that dies anywhere is simply followed by the next.
import { defaultKeyScheme, keySchemeSchema } from "../storage/key-scheme";
import { z } from "zod";
import { slugPattern } from "../catalog/vocabulary";
import { defineStep, StepFailure, type OperationDefinition, type StepContext, type StepDefinition } from "../operations/definition";
import { operationLabel, tenantData } from "../operations/tenant-data";
import { retireIfUnused } from "../placement/silo";
import { scanRoutingRecords } from "../routing/routing-table";
import { tenantEntities } from "../storage/tenant-items";
import { deleteTenantItems } from "../storage/tenant-partitions";
import { dropTable } from "../storage/tenant-tables";
import { assessOrphans, whyKept, type Orphan } from "./orphans";
import { auditTarget } from "../audit/record";

const tableName = z.string().min(3).max(255);
const region = z.string().min(1).max(64);

export const orphanTargetSchema = z.discriminatedUnion("target", [
  z.object({ target: z.literal("tenantCopy"), tenantId: z.string().regex(slugPattern), tableName, region }),
  z.object({ target: z.literal("table"), storageInstanceId: z.string().min(1).max(63), tableName, region }),
]);
export type OrphanTarget = z.infer<typeof orphanTargetSchema>;

export function targetOf(orphan: Orphan): OrphanTarget {
  return orphan.kind === "tenantCopy"
    ? { target: "tenantCopy", tenantId: orphan.tenantId, tableName: orphan.table.tableName, region: orphan.table.region }
    : { target: "table", storageInstanceId: orphan.storageInstanceId, tableName: orphan.tableName, region: orphan.region };
}

const targetKey = (t: OrphanTarget) =>
  [t.target, t.region, t.tableName, t.target === "tenantCopy" ? t.tenantId : t.storageInstanceId].join("\u001f");

export function sameTarget(a: OrphanTarget, b: OrphanTarget): boolean {
  return targetKey(a) === targetKey(b);
}

type Definitions = () => Record<string, OperationDefinition<unknown>>;
type Ctx = StepContext<OrphanTarget>;

const orphanOutput = z.object({
  tenant: z.object({ tenantId: z.string(), keyPrefix: z.string(), keyScheme: keySchemeSchema.default(defaultKeyScheme) }).nullable(),
  table: z.object({ storageInstanceId: z.string().nullable(), tableName: z.string(), region: z.string() }),
  items: z.number().int(),
  ownTable: z.boolean(),
});

function validateStep(definitions: Definitions) {
  return defineStep({
    name: "validate",
    label: "Check it is still orphaned",
    changesTenant: false,
    output: orphanOutput,
    async run({ parameters: p, deps, operation }: Ctx) {
      const assessment = await assessOrphans(deps, definitions(), {
        now: deps.now(),
        tenantId: p.target === "tenantCopy" ? p.tenantId : undefined,
        except: operation.id,
      });
      const orphan = assessment.orphans.find((candidate) => sameTarget(targetOf(candidate), p));
      if (!orphan) {
        const kept = assessment.kept.find((copy) => p.target === "tenantCopy" && copy.table.tableName === p.tableName);
        throw new StepFailure(
          `${p.tableName} is not orphaned now${p.target === "tenantCopy" ? ` for ${p.tenantId}` : ""}: ${
            (kept && whyKept(kept)) ?? "a routing record or a tenant uses it, it holds nothing, or it is gone"
          }. Nothing was deleted.`,
        );
      }
      return orphan.kind === "tenantCopy"
        ? {
            output: {
              tenant: { tenantId: orphan.tenantId, keyPrefix: orphan.keyPrefix, keyScheme: orphan.keyScheme },
              table: orphan.table,
              items: orphan.items,
              ownTable: orphan.ownTable,
            },
            detail: `${orphan.items.toLocaleString("en-US")} items of ${orphan.tenantId} in ${orphan.table.tableName} (${orphan.origins.map((o) => o.what).join("; ")})`,
          }
        : {
            output: {
              tenant: null,
              table: { storageInstanceId: orphan.storageInstanceId, tableName: orphan.tableName, region: orphan.region },
              items: 0,
              ownTable: false,
            },
            detail: `${orphan.tableName}: ${orphan.origins.map((o) => o.what).join("; ")}; no tenant's items are left in it`,
          };
    },
  });
}

function deleteStep(validate: ReturnType<typeof validateStep>): StepDefinition<OrphanTarget> {
  return {
    name: "delete",
    label: "Delete the orphaned data",
    changesTenant: true,
    async run({ deps, output, signal, progress, operation }) {
      const { tenant, table, items, ownTable } = output(validate);
      const admin = deps.dynamoDb(table.region);
      if (!tenant) {
        // Checked again just before the drop: the table is in no routing record and no tenant's placement.
        const routed = (await scanRoutingRecords(deps.dynamoDb(deps.routingRegion), deps.routingTable)).find(
          (record) => record.placement.tableName === table.tableName || record.bridge?.tableName === table.tableName,
        );
        const placed = table.storageInstanceId
          ? await deps.db.tenant.findFirst({
              where: { OR: [{ storageInstanceId: table.storageInstanceId }, { bridgeInstanceId: table.storageInstanceId }] },
              select: { id: true },
            })
          : null;
        if (routed || placed)
          throw new StepFailure(`${table.tableName} is in use again (by ${routed?.tenantId ?? placed?.id}); it was not dropped.`);
        const dropped = await dropTable(admin, table.tableName);
        return { detail: dropped === "dropped" ? `table ${table.tableName} dropped` : `table ${table.tableName} was already gone` };
      }
      const data = tenantData(deps, {
        tenantId: tenant.tenantId,
        keyScheme: tenant.keyScheme,
        operation: operationLabel(operation),
        tables: [table],
      }).table(table.tableName);
      const expected = Math.max(1, items);
      const deleted = await deleteTenantItems(data, tenant, tenantEntities, {
        signal,
        onProgress: async (n) => {
          await deps.faultPoint?.("mid");
          await progress(
            Math.min(0.99, n / expected),
            `${n.toLocaleString("en-US")} of ~${expected.toLocaleString("en-US")} items deleted`,
          );
        },
      });
      const dropped = ownTable ? await dropTable(admin, table.tableName) : null;
      return {
        detail: `${deleted.toLocaleString("en-US")} items of ${tenant.tenantId} deleted from ${table.tableName}, only keys under ${tenant.keyScheme.template === null ? "its own table (its keys do not carry it)" : tenant.keyPrefix}${
          dropped ? `; the table, made for this copy alone, ${dropped === "dropped" ? "dropped" : "was already gone"}` : ""
        }`,
        catalog: async (tx) => {
          if (!table.storageInstanceId) return;
          const instance = await tx.storageInstance.findUnique({
            where: { id: table.storageInstanceId },
            select: { mode: true, status: true },
          });
          // A silo no tenant lives in any more is retired (its empty table is then listed for dropping).
          if (instance?.mode === "silo" && instance.status !== "retired") await retireIfUnused(tx, table.storageInstanceId);
        },
      };
    },
  };
}

/** The clean-up kind; it reads every kind's `copies` (through `definitions`) to check again that its target is orphaned. */
export function orphanCleanupOperation(definitions: Definitions): OperationDefinition<OrphanTarget> {
  const validate = validateStep(definitions);
  const remove = deleteStep(validate);
  return {
    kind: "cleanup_orphan",
    parameters: orphanTargetSchema,
    targets: async (_tx, p) =>
      p.target === "tenantCopy"
        ? [auditTarget("tenant", p.tenantId)]
        : p.storageInstanceId
          ? [auditTarget("instance", p.storageInstanceId)]
          : [],
    describe: (p) =>
      p.target === "tenantCopy"
        ? `${p.tenantId}'s orphaned items in ${p.tableName} removed`
        : `table ${p.tableName} of retired ${p.storageInstanceId} dropped`,
    steps: [validate, remove],
    copies: ({ parameters: p, steps, outputIfAny }) => {
      const done = steps.some((step) => step.name === remove.name && step.status === "done");
      const validated = outputIfAny(validate);
      if (!done || !validated) return [];
      return [
        {
          tenant: validated.tenant,
          table: validated.table,
          effect: "removed",
          what: p.target === "tenantCopy" ? `orphaned copy removed` : `table dropped`,
        },
      ];
    },
  };
}
