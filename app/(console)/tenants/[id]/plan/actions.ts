"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { planChangeInput, requestPlanChange } from "@/lib/throttling/requests";

export const changePlanAction = defineAction({
  name: "tenants.changePlan",
  permission: "tenants.changePlan",
  input: planChangeInput,
  target: (input) => ({ type: "tenant", id: typeof input.tenantId === "string" ? input.tenantId : null }),
  run: async (ctx, input) => {
    const result = await requestPlanChange(ctx, input);
    revalidatePath(`/tenants/${input.tenantId}`);
    return result;
  },
});
