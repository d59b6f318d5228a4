"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { consoleAccess } from "@/lib/fleet-checks/access";
import { orphanCleanupInput, repairInput, repairTenantState, requestOrphanCleanup } from "@/lib/fleet-checks/requests";
import { operationDefinitions } from "@/lib/worker/kinds";

export const repairTenantStateAction = defineAction({
  name: "tenants.repairState",
  permission: "operations.manage",
  input: repairInput,
  target: (raw) => ({ type: "tenant", id: typeof raw.tenantId === "string" ? raw.tenantId : null }),
  run: async (ctx, input) => {
    const result = await repairTenantState(ctx, consoleAccess(ctx.db), input);
    revalidatePath("/fleet-checks");
    revalidatePath(`/tenants/${input.tenantId}`);
    return result;
  },
});

export const cleanupOrphanAction = defineAction({
  name: "fleet.cleanupOrphan",
  permission: "operations.manage",
  input: orphanCleanupInput,
  target: (raw) => {
    const fields = raw as Record<string, unknown>;
    const id = fields.target === "table" ? fields.storageInstanceId : fields.tenantId;
    return { type: fields.target === "table" ? "storageInstance" : "tenant", id: typeof id === "string" ? id : null };
  },
  run: async (ctx, input) => {
    const result = await requestOrphanCleanup(ctx, consoleAccess(ctx.db), operationDefinitions, input);
    revalidatePath("/fleet-checks");
    return result;
  },
});
