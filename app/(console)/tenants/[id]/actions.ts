"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { integrationCheckInput, requestIntegrationCheck } from "@/lib/integration-check/requests";

export const integrationCheckAction = defineAction({
  name: "tenants.checkIntegration",
  permission: "tenants.checkIntegration",
  input: integrationCheckInput,
  target: (input) => ({ type: "tenant", id: typeof input.tenantId === "string" ? input.tenantId : null }),
  run: async (ctx, input) => {
    const result = await requestIntegrationCheck(ctx, input);
    revalidatePath(`/tenants/${input.tenantId}`);
    return result;
  },
});
