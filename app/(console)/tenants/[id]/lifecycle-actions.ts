"use server";

import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/action";
import {
  approveOffboarding,
  cancelOffboarding,
  offboardingDecisionInput,
  offboardingInput,
  offboardingRejectionInput,
  rejectOffboarding,
  requestOffboarding,
} from "@/lib/lifecycle/offboarding-requests";
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

const operationTarget = (input: { operationId?: unknown }) => ({
  type: "operation",
  id: typeof input.operationId === "string" ? input.operationId : null,
});

export const requestOffboardingAction = defineAction({
  name: "tenants.offboard",
  permission: "tenants.offboard",
  input: offboardingInput,
  target: tenantTarget,
  run: async (ctx, input) => {
    const result = await requestOffboarding(ctx, input);
    revalidatePath(`/tenants/${input.tenantId}`);
    return result;
  },
});

export const approveOffboardingAction = defineAction({
  name: "tenants.approveOffboarding",
  permission: "tenants.approveOffboarding",
  input: offboardingDecisionInput,
  target: operationTarget,
  run: async (ctx, input) => approveOffboarding(ctx, input),
});

export const rejectOffboardingAction = defineAction({
  name: "tenants.rejectOffboarding",
  permission: "tenants.approveOffboarding",
  input: offboardingRejectionInput,
  target: operationTarget,
  run: async (ctx, input) => rejectOffboarding(ctx, input),
});

export const cancelOffboardingAction = defineAction({
  name: "tenants.cancelOffboarding",
  permission: "tenants.offboard",
  input: offboardingDecisionInput,
  target: operationTarget,
  run: async (ctx, input) => cancelOffboarding(ctx, input),
});
