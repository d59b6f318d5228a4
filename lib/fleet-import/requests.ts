// What the import page's actions and the CLI call: the dry run (read the file,
// validate it, DescribeTable each instance, diff against the catalog; changes
// nothing) and the apply (the same dry run again, then, only if it has no
// problem and no conflict and is the plan the operator confirmed, every new
// instance and tenant in one transaction with one audit entry, then the
// tenants' routing records). Tenant items are never read or written.
import { nameKey } from "../validation/names";
import "server-only";
import { z } from "zod";
import type { AuditFacts } from "../audit/record";
import type { Prisma } from "../generated/prisma/client.ts";
import { publishTenantsRouting } from "../routing/publish";
import type { ImportAccess } from "./access";
import { describeTables } from "./describe";
import { readImportFile, type ImportFormat, type ImportProblem } from "./file-format";
import { planImport, type ImportPlan } from "./plan";
import { catalogFacts, catalogInstances, catalogState } from "./queries";
import { validateImport } from "./validate";

/** The page sends the file's text; 8 MB holds about 50,000 tenant rows (larger fleets: the CLI). */
export const maxImportBytes = 8_000_000;

export const dryRunInput = z.object({
  file: z
    .string({ error: "Paste or choose an import file" })
    .min(1, "Paste or choose an import file")
    .refine(
      (text) => Buffer.byteLength(text) <= maxImportBytes,
      `At most ${maxImportBytes / 1_000_000} MB: import larger fleets with npm run fleet:import`,
    ),
});

export const applyInput = dryRunInput.extend({
  /** The dry run the operator confirmed. */
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, "Run the dry run first"),
});

export type DryRun =
  | { ok: false; format: ImportFormat; problems: ImportProblem[] }
  | { ok: true; format: ImportFormat; plan: ImportPlan; describedMs: number };

/** Reads, validates and plans the import; changes nothing anywhere. */
export async function dryRunImport(access: Pick<ImportAccess, "db" | "dynamoDb">, text: string): Promise<DryRun> {
  const read = readImportFile(text);
  if (!read.ok) return { ok: false, format: read.format, problems: read.problems };
  const instances = await catalogInstances(access.db);
  const validated = validateImport(read.rows, await catalogFacts(access.db, instances));
  if (!validated.ok) return { ok: false, format: read.format, problems: validated.problems };
  const started = performance.now();
  const [tables, state] = await Promise.all([
    describeTables(access, validated.fleet.instances),
    catalogState(access.db, validated.fleet, instances),
  ]);
  const describedMs = performance.now() - started;
  return { ok: true, format: read.format, plan: planImport(validated.fleet, state, tables), describedMs };
}

/** An apply that did nothing, and why (the action reports it as a refusal, the CLI prints it; both audit it). */
export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly dryRun: DryRun | null,
  ) {
    super(message);
  }
}

export interface AppliedImport {
  plan: ImportPlan;
  instancesCreated: number;
  tenantsCreated: number;
  routing: { published: number; unchanged: number };
}

const countsText = (plan: ImportPlan) =>
  `instances ${plan.instances.create} new, ${plan.instances.unchanged} unchanged; tenants ${plan.tenants.create} new, ${plan.tenants.unchanged} unchanged`;

export const importAuditAction = "fleet.import";

/**
 * Applies the file if its dry run, run again now, is clean (and, when given,
 * is the plan the operator confirmed). `audit` makes the import's audit entry
 * in the actor's name; it is written in the transaction that creates the rows.
 */
export async function applyImport(
  access: ImportAccess,
  text: string,
  audit: (facts: AuditFacts) => Prisma.AuditEntryUncheckedCreateInput,
  confirmed: string | null,
): Promise<AppliedImport> {
  const dryRun = await dryRunImport(access, text);
  if (!dryRun.ok)
    throw new ImportRefused(
      `Nothing imported: ${dryRun.problems.length === 1 ? "1 row has a problem" : `${dryRun.problems.length} problems in the file`}.`,
      dryRun,
    );
  const { plan } = dryRun;
  const conflicts = plan.instances.conflict + plan.tenants.conflict;
  if (conflicts)
    throw new ImportRefused(
      `Nothing imported: ${conflicts === 1 ? "1 row conflicts" : `${conflicts} rows conflict`} with the catalog or AWS.`,
      dryRun,
    );
  if (confirmed !== null && confirmed !== plan.fingerprint)
    throw new ImportRefused(
      "Nothing imported: the catalog or the tables changed since the dry run you confirmed. Look at the new dry run.",
      dryRun,
    );
  const { instances, tenants } = plan.creates;
  try {
    await access.db.$transaction(async (tx) => {
      if (instances.length)
        await tx.storageInstance.createMany({
          data: instances.map(({ keyScheme, ...instance }) => ({
            ...instance,
            status: "active" as const,
            ...(keyScheme ? { keyScheme: { ...keyScheme } } : {}),
          })),
        });
      if (tenants.length)
        await tx.tenant.createMany({
          data: tenants.map((tenant) => ({ ...tenant, nameKey: nameKey(tenant.name), status: "active" as const })),
        });
      await tx.auditEntry.create({
        data: audit({
          action: importAuditAction,
          targetType: "fleet",
          targetId: plan.fingerprint,
          parameters: {
            format: dryRun.format,
            fingerprint: plan.fingerprint,
            instancesCreated: plan.instances.create,
            instancesUnchanged: plan.instances.unchanged,
            tenantsCreated: plan.tenants.create,
            tenantsUnchanged: plan.tenants.unchanged,
          },
          outcome: "succeeded",
          detail: `Imported ${countsText(plan)}.`,
        }),
      });
    });
  } catch (error) {
    // A unique id, table or key prefix taken between the dry run and the transaction: nothing was written.
    if (error instanceof Error && "code" in error && error.code === "P2002")
      throw new ImportRefused(
        "Nothing imported: the catalog changed while importing (an id, table, key prefix or name was taken). Run the dry run again.",
        null,
      );
    throw error;
  }
  // After the commit: tenants created earlier whose routing is missing (an apply stopped here) are published by the next apply.
  const routing = await publishTenantsRouting(access.db, access.dynamoDb(access.routingRegion), plan.tenantIds, {
    tableName: access.routingTable,
  });
  return { plan, instancesCreated: instances.length, tenantsCreated: tenants.length, routing };
}

/** The audit entry of an apply that was refused (the CLI's; the actions' come from the action factory). */
export function refusedImportFacts(error: ImportRefused): AuditFacts {
  const plan = error.dryRun?.ok ? error.dryRun.plan : null;
  return {
    action: importAuditAction,
    targetType: "fleet",
    targetId: plan?.fingerprint ?? null,
    parameters: plan
      ? {
          conflicts: plan.instances.conflict + plan.tenants.conflict,
          instances: plan.rows.filter((r) => r.kind === "instance").length,
          tenants: plan.rows.filter((r) => r.kind === "tenant").length,
        }
      : { problems: error.dryRun && !error.dryRun.ok ? error.dryRun.problems.length : 0 },
    outcome: "failed",
    detail: error.message,
  };
}

/** The dry run as the page shows it: its rows and counts, without what the apply would write. */
export type DryRunView =
  | { ok: false; format: ImportFormat; problems: ImportProblem[] }
  | {
      ok: true;
      format: ImportFormat;
      rows: ImportPlan["rows"];
      instances: ImportPlan["instances"];
      tenants: ImportPlan["tenants"];
      fingerprint: string;
    };

export function dryRunView(dryRun: DryRun): DryRunView {
  if (!dryRun.ok) return dryRun;
  const { rows, instances, tenants, fingerprint } = dryRun.plan;
  return { ok: true, format: dryRun.format, rows, instances, tenants, fingerprint };
}

/** What the page shows after an apply: counts, and the tenants now in the catalog as the file declares them. */
export interface AppliedView {
  instancesCreated: number;
  tenantsCreated: number;
  routingPublished: number;
  tenantIds: string[];
}

export function appliedView(applied: AppliedImport): AppliedView {
  return {
    instancesCreated: applied.instancesCreated,
    tenantsCreated: applied.tenantsCreated,
    routingPublished: applied.routing.published,
    tenantIds: applied.plan.tenantIds,
  };
}
