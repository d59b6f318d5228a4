"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { ActionRefusal } from "@/lib/auth/action-context";
import { auditEntry } from "@/lib/audit/record";
import { consoleAccess } from "@/lib/fleet-import/access";
import {
  appliedView,
  applyImport,
  applyInput,
  dryRunImport,
  dryRunInput,
  dryRunView,
  ImportRefused,
  importAuditAction,
} from "@/lib/fleet-import/requests";

const fleet = () => ({ type: "fleet" });

/** Reads, validates and plans the file; changes nothing. */
export const dryRunImportAction = defineAction({
  name: "fleet.importDryRun",
  permission: "fleet.import",
  input: dryRunInput,
  target: fleet,
  run: async (ctx, input) => ({ data: dryRunView(await dryRunImport(consoleAccess(ctx.db), input.file)) }),
});

/** Applies the confirmed dry run (planned again on the server; refused, audited, if it changed or conflicts). */
export const applyImportAction = defineAction({
  name: importAuditAction,
  permission: "fleet.import",
  input: applyInput,
  target: fleet,
  run: async (ctx, input) => {
    try {
      const applied = await applyImport(consoleAccess(ctx.db), input.file, (facts) => auditEntry(ctx.user, facts), input.fingerprint);
      revalidatePath("/tenants");
      revalidatePath("/instances");
      const view = appliedView(applied);
      return {
        data: view,
        message: `Imported: ${view.instancesCreated} new storage instances, ${view.tenantsCreated} new tenants, ${view.routingPublished} routing records published.`,
      };
    } catch (error) {
      if (error instanceof ImportRefused) throw new ActionRefusal(error.message);
      throw error;
    }
  },
});
