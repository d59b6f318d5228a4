"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { createPlan, planCreateInput, planUpdateInput, requestPlanUpdate } from "@/lib/throttling/requests";

export const createPlanAction = defineAction({
  name: "plans.create",
  permission: "plans.manage",
  input: planCreateInput,
  target: (input) => ({ type: "plan", id: typeof input.id === "string" ? input.id : null }),
  run: async (ctx, input) => {
    const result = await createPlan(ctx, input);
    revalidatePath("/plans");
    return result;
  },
});

export const updatePlanAction = defineAction({
  name: "plans.update",
  permission: "plans.manage",
  input: planUpdateInput,
  target: (input) => ({ type: "plan", id: typeof input.planId === "string" ? input.planId : null }),
  run: async (ctx, input) => {
    const result = await requestPlanUpdate(ctx, input);
    revalidatePath("/plans");
    return result;
  },
});
