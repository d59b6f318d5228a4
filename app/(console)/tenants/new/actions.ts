"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { onboardingInput, requestOnboarding } from "@/lib/onboarding/requests";

export const onboardTenantAction = defineAction({
  name: "tenants.onboard",
  permission: "tenants.onboard",
  input: onboardingInput,
  target: (input) => ({ type: "tenant", id: typeof input.id === "string" ? input.id : null }),
  run: async (ctx, input) => {
    const result = await requestOnboarding(ctx, input);
    revalidatePath("/tenants");
    revalidatePath("/operations");
    return result;
  },
});
