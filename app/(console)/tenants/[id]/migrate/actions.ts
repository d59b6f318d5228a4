"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { metricsReader } from "@/lib/metrics/source";
import { measuredTargetLoad } from "@/lib/migration/plan";
import { migrationInput, requestMigration } from "@/lib/migration/requests";

export const migrateTenantAction = defineAction({
  name: "tenants.migrate",
  permission: "tenants.migrate",
  input: migrationInput,
  target: (input) => ({ type: "tenant", id: typeof input.tenantId === "string" ? input.tenantId : null }),
  run: async (ctx, input) => {
    const result = await requestMigration(ctx, input, measuredTargetLoad(metricsReader()));
    revalidatePath(`/tenants/${input.tenantId}`);
    return result;
  },
});
