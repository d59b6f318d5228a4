"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import { requestResumption, requestSuspension, resumeInput, suspendInput } from "@/lib/lifecycle/requests";

const tenantTarget = (input: { tenantId?: unknown }) => ({
  type: "tenant",
  id: typeof input.tenantId === "string" ? input.tenantId : null,
});

export const suspendTenantAction = defineAction({
  name: "tenants.suspend",
  permission: "tenants.suspend",
  input: suspendInput,
  target: tenantTarget,
  run: async (ctx, input) => {
    const result = await requestSuspension(ctx, input);
    revalidatePath(`/tenants/${input.tenantId}`);
    return result;
  },
});

export const resumeTenantAction = defineAction({
  name: "tenants.resume",
  permission: "tenants.suspend",
  input: resumeInput,
  target: tenantTarget,
  run: async (ctx, input) => {
    const result = await requestResumption(ctx, input);
    revalidatePath(`/tenants/${input.tenantId}`);
    return result;
  },
});
