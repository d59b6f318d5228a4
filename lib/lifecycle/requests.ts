// What the lifecycle's server actions call: an operator suspends a tenant
// (the data plane refuses it with the reason given) or resumes it. The
// offboarding requests live in offboarding-requests.ts.
import "server-only";
import { z } from "zod";
import type { ActionContext } from "../auth/action-context";
import { slugPattern } from "../catalog/vocabulary";
import { singleLine } from "../validation/fields";
import { consoleLifecycleAccess } from "./access";
import { resumeTenant, suspendedReasonMax, suspendTenant } from "./suspension";

const tenantIdField = z.string().regex(slugPattern, "Not a tenant id");

export const suspendInput = z.object({
  tenantId: tenantIdField,
  reason: singleLine({ max: suspendedReasonMax, required: "Say why: the data plane tells the tenant's callers" }),
});

export const resumeInput = z.object({ tenantId: tenantIdField });

export async function requestSuspension({ db, user }: ActionContext, input: z.infer<typeof suspendInput>) {
  const result = await suspendTenant(consoleLifecycleAccess(db), input.tenantId, { reason: input.reason, by: user });
  const message = !result.changed
    ? `${input.tenantId} was already suspended for this reason.`
    : result.before.status === "suspended"
      ? `${input.tenantId}'s suspension reason changed.`
      : `${input.tenantId} is suspended: the data plane refuses its reads and writes within seconds.`;
  return { data: undefined, message };
}

export async function requestResumption({ db, user }: ActionContext, input: z.infer<typeof resumeInput>) {
  const result = await resumeTenant(consoleLifecycleAccess(db), input.tenantId, { by: user });
  return {
    data: undefined,
    message: result.changed
      ? `${input.tenantId} is active again: the data plane serves it within seconds.`
      : `${input.tenantId} was not suspended.`,
  };
}
